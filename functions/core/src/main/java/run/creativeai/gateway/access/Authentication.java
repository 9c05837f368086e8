package run.creativeai.gateway.access;

import run.creativeai.gateway.access.Principal;

/** The outcome of checking a request's credentials. */
public sealed interface Authentication permits Authentication.Authenticated, Authentication.Rejected {

    record Authenticated(Principal principal) implements Authentication {
    }

    /** @param reason said to the client; never echoes the key */
    record Rejected(String reason) implements Authentication {
    }
}
