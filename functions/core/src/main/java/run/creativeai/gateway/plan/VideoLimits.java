package run.creativeai.gateway.plan;

/**
 * What a plan allows for video creation on top of its general limits (seed 000: 5 requests a minute,
 * 3 concurrent video jobs and 100 videos per rolling 24 hours on standard plans; seed 003: 30 per
 * rolling 30 minutes per API key).
 */
public record VideoLimits(Limit requestsPerMinute, Limit concurrent, Limit per24Hours, Limit per30Minutes) {
}
