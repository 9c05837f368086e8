package run.creativeai.client;

/** The tenant cannot pay for the request ({@code billing_error}, 402): {@code insufficient_credits} with the balance and what the job needs, {@code key_budget_exceeded}, or an expired subscription ({@code payment_required}). */
public final class BillingException extends ApiException {
    private static final long serialVersionUID = 1L;

    BillingException(ApiError error) {
        super(error);
    }

    /** The credits the tenant had, with {@code insufficient_credits}. */
    public java.util.OptionalLong balance() {
        return Json.number(body(), "balance");
    }

    /** The credits the job needs, with {@code insufficient_credits}. */
    public java.util.OptionalLong required() {
        return Json.number(body(), "required");
    }
}
