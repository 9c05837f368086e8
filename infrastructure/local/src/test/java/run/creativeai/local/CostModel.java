package run.creativeai.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AWS list prices and the dollars a job costs from the billable units counted for it. Prices are
 * us-east-1, on-demand, public list prices (no free tier, first pricing tier), as published by AWS:
 * DynamoDB on-demand $0.625 per million write request units and $0.125 per million read request
 * units; SQS standard queues $0.40 per million requests; Lambda $0.20 per million requests and
 * $0.0000133334 per GB-second on arm64, the architecture template.yaml declares (x86: $0.0000166667);
 * API Gateway HTTP APIs $1.00 per million
 * requests; Secrets Manager $0.05 per 10,000 API calls; S3 Standard $0.005 per 1,000 PUT, COPY, POST and
 * LIST requests (CreateMultipartUpload, UploadPart, CompleteMultipartUpload and PutObject each count as
 * one) and $0.023 per GB-month of storage (first 50 TB).
 */
record CostModel(double perMillionWru, double perMillionRru, double perMillionSqs, double perMillionLambda,
        double perGbSecond, double perMillionHttpApi, double perTenThousandSecrets, double perThousandS3Puts,
        double perGbMonthS3) {

    static final CostModel US_EAST_1 = new CostModel(0.625, 0.125, 0.40, 0.20, 0.0000133334, 1.00, 0.05, 0.005, 0.023);

    /**
     * Billable units for one job (averages over a run).
     *
     * @param s3Requests  S3 PUT-class requests (an output's PutObject, or its multipart upload's requests)
     * @param s3GbMonths  GB of outputs stored, times the months the bucket keeps them
     */
    record Usage(double writeUnits, double readUnits, double sqsRequests, double lambdaInvocations, double gbSeconds,
            double httpApiRequests, double secretsCalls, double s3Requests, double s3GbMonths) {
        Usage(double writeUnits, double readUnits, double sqsRequests, double lambdaInvocations, double gbSeconds,
                double httpApiRequests, double secretsCalls) {
            this(writeUnits, readUnits, sqsRequests, lambdaInvocations, gbSeconds, httpApiRequests, secretsCalls, 0, 0);
        }
    }

    /** Dollars per million jobs, by service, in a stable order, plus "total". */
    Map<String, Double> perMillionJobs(Usage u) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("DynamoDB", u.writeUnits() * perMillionWru + u.readUnits() * perMillionRru);
        out.put("SQS", u.sqsRequests() * perMillionSqs);
        out.put("Lambda", u.lambdaInvocations() * perMillionLambda + u.gbSeconds() * perGbSecond * 1_000_000);
        out.put("API Gateway", u.httpApiRequests() * perMillionHttpApi);
        out.put("Secrets Manager", u.secretsCalls() * perTenThousandSecrets * 100);
        out.put("S3 requests", u.s3Requests() * perThousandS3Puts * 1000);
        out.put("S3 storage", u.s3GbMonths() * perGbMonthS3 * 1_000_000);
        out.put("total", out.values().stream().mapToDouble(Double::doubleValue).sum());
        return out;
    }

    /** GB-months of {@code bytes} kept {@code days} days (a month being 30.4 days, 1 GB 1,024^3 bytes). */
    static double gbMonths(double bytes, int days) {
        return bytes / (1024.0 * 1024 * 1024) * days / 30.4;
    }

    /** GB-seconds of {@code billedMillis} at {@code memoryMb} (Lambda counts 1 GB as 1,024 MB). */
    static double gbSeconds(long billedMillis, int memoryMb) {
        return billedMillis / 1000.0 * memoryMb / 1024.0;
    }
}
