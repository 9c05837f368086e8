package run.creativeai.gateway.status;

import java.time.Instant;

/**
 * One entry of a notice's timeline, as subscribers are told of it.
 *
 * @param number 1 for the notice's opening, then one more for each update
 * @param state  the notice's state from this update on ({@code investigating}, {@code resolved},
 *               {@code scheduled}, {@code in_progress}, ...)
 */
public record NoticeUpdate(int number, Instant at, String state, String message) {
}
