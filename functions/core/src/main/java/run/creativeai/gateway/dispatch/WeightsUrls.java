package run.creativeai.gateway.dispatch;

import java.net.URI;
import java.time.Duration;

/**
 * Signs the URL a provider fetches a tenant's trained LoRA weights from: a GET of the outputs
 * bucket, where the training's weights were copied, valid for {@code valid}.
 */
@FunctionalInterface
public interface WeightsUrls {
    URI signed(String outputsKey, Duration valid);

    /** For a dispatcher that never runs trained models: naming one is a wiring mistake, said loudly. */
    static WeightsUrls none() {
        return (key, valid) -> {
            throw new IllegalStateException("this dispatcher cannot sign trained weights' URLs");
        };
    }
}
