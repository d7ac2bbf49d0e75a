import Futures
import Testing

@Suite("Backoff: the waits between retry attempts")
struct BackoffTests {
    @Test("a constant backoff waits the same after every failure")
    func constant() {
        let backoff: Backoff = .constant(.milliseconds(250))
        #expect((1...5).map(backoff.delay(afterFailure:)) == Array(repeating: .milliseconds(250), count: 5))
    }

    @Test("an exponential backoff multiplies the wait by the multiplier after each failure")
    func exponential() {
        let doubling: Backoff = .exponential(initial: .milliseconds(100))
        #expect(
            (1...5).map(doubling.delay(afterFailure:)) == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600),
            ]
        )
        let tripling: Backoff = .exponential(initial: .seconds(1), multiplier: 3)
        #expect(tripling.delay(afterFailure: 4) == .seconds(27))
        let steady: Backoff = .exponential(initial: .seconds(1), multiplier: 1)
        #expect(steady.delay(afterFailure: 50) == .seconds(1))
        let once: Backoff = .exponential(initial: .seconds(1), multiplier: 0)
        #expect(once.delay(afterFailure: 1) == .seconds(1))
        #expect(once.delay(afterFailure: 2) == .zero)
    }

    @Test("an exponential backoff never waits longer than its maximum")
    func exponentialMaximum() {
        let backoff: Backoff = .exponential(initial: .milliseconds(100), maximum: .milliseconds(500))
        #expect(
            (1...6).map(backoff.delay(afterFailure:)) == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500),
                .milliseconds(500),
            ]
        )
        #expect(backoff.delay(afterFailure: 1_000_000) == .milliseconds(500))
    }

    @Test("an uncapped exponential backoff saturates instead of overflowing")
    func exponentialSaturates() {
        let backoff: Backoff = .exponential(initial: .seconds(1))
        let huge = backoff.delay(afterFailure: 100_000)
        #expect(huge > .seconds(1_000_000_000))
        #expect(backoff.delay(afterFailure: 200_000) == huge)
        #expect(backoff.delay(afterFailure: 30) == .seconds(1 << 29))
    }

    @Test("negative durations are treated as zero")
    func negativeDurations() {
        #expect(Backoff.constant(.seconds(-1)).delay(afterFailure: 1) == .zero)
        #expect(Backoff.exponential(initial: .seconds(-1)).delay(afterFailure: 3) == .zero)
        #expect(Backoff.exponential(initial: .seconds(1), maximum: .seconds(-1)).delay(afterFailure: 3) == .zero)
        #expect(Backoff.exponential(initial: .zero).delay(afterFailure: 3) == .zero)
    }

    @Test("seeded jitter is reproducible and shortens each delay by at most the fraction")
    func seededJitter() {
        let base: Backoff = .exponential(initial: .seconds(1), maximum: .seconds(8))
        let jittered: Backoff = .jittered(base, fraction: 0.5, seed: 42)
        let delays = (1...20).map(jittered.delay(afterFailure:))
        #expect(delays == (1...20).map(Backoff.jittered(base, fraction: 0.5, seed: 42).delay(afterFailure:)))
        for (index, delay) in delays.enumerated() {
            let full = base.delay(afterFailure: index + 1)
            #expect(delay <= full)
            #expect(delay >= full * 0.5)
        }
        #expect(Set(delays.suffix(10)).count > 1)
        #expect(delays != (1...20).map(Backoff.jittered(base, fraction: 0.5, seed: 43).delay(afterFailure:)))
    }

    @Test("unseeded jitter stays within its bounds")
    func unseededJitter() {
        let jittered: Backoff = .jittered(.constant(.seconds(1)), fraction: 1)
        for failure in 1...100 {
            let delay = jittered.delay(afterFailure: failure)
            #expect(delay >= .zero && delay <= .seconds(1))
        }
    }

    @Test("zero jitter changes nothing, and jittering again replaces the jitter")
    func jitterEdgeCases() {
        let base: Backoff = .constant(.seconds(2))
        #expect(Backoff.jittered(base, fraction: 0, seed: 1).delay(afterFailure: 3) == .seconds(2))
        let twice: Backoff = .jittered(.jittered(base, fraction: 1, seed: 1), fraction: 0.1, seed: 2)
        #expect(twice == .jittered(base, fraction: 0.1, seed: 2))
        #expect(twice.delay(afterFailure: 1) >= .milliseconds(1800))
    }

    @Test("backoffs compare by value")
    func equality() {
        #expect(Backoff.constant(.seconds(1)) == .constant(.seconds(1)))
        #expect(Backoff.constant(.seconds(1)) != .exponential(initial: .seconds(1)))
        #expect(Backoff.exponential(initial: .seconds(1)) == .exponential(initial: .seconds(1), multiplier: 2))
    }

    @Test("out-of-range parameters stop the program with a precondition", .timeLimit(.minutes(1)))
    func preconditions() async {
        await #expect(processExitsWith: .failure) {
            _ = Backoff.jittered(.constant(.seconds(1)), fraction: 1.5)
        }
        await #expect(processExitsWith: .failure) {
            _ = Backoff.exponential(initial: .seconds(1), multiplier: -2)
        }
        await #expect(processExitsWith: .failure) {
            _ = Backoff.constant(.seconds(1)).delay(afterFailure: 0)
        }
    }
}
