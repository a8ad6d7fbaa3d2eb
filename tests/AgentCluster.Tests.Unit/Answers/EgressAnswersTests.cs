using System.Collections.Immutable;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Answers;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Tests.Unit.Answers;

public sealed class EgressAnswersTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly MovableClock _clock = new(Start);
    private readonly EgressAnswers _answers;

    public EgressAnswersTests()
    {
        _answers = new EgressAnswers(new EgressOptions { AnswerCacheTtl = TimeSpan.FromSeconds(5) }, _clock);
        _answers.Lease(Start + TimeSpan.FromSeconds(10));
    }

    private static EgressPolicy Policy(string session, DateTimeOffset expires) => new(session, "acme", ["example.com:443"], null) { Expires = expires };

    [Fact]
    public void A_live_answer_is_reused_for_its_ttl_then_asked_again()
    {
        _answers.Remember(_answers.Ticket, "ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        Assert.NotNull(_answers.Policy("ses_a", "h1"));
        Assert.Null(_answers.Policy("ses_a", "other-secret"));
        Assert.Null(_answers.Policy("ses_b", "h1"));
        _clock.Now = Start.AddSeconds(5);
        Assert.Null(_answers.Policy("ses_a", "h1"));
    }

    [Fact]
    public void No_answer_outlives_the_session_deadline_or_the_grant_it_resolved()
    {
        _answers.Remember(_answers.Ticket, "ses_a", "h1", Policy("ses_a", Start.AddSeconds(1)));
        _answers.Remember(_answers.Ticket, "ses_a", "stub", "example.com",
            new GrantResolution(true, ImmutableDictionary<string, string>.Empty, "s") { ExpiresAt = Start.AddSeconds(2) });
        _clock.Now = Start.AddSeconds(1);
        Assert.Null(_answers.Policy("ses_a", "h1"));
        Assert.NotNull(_answers.Grant("ses_a", "stub", "example.com"));
        Assert.Null(_answers.Grant("ses_a", "stub", "other.example.com"));
        _clock.Now = Start.AddSeconds(2);
        Assert.Null(_answers.Grant("ses_a", "stub", "example.com"));
    }

    [Fact]
    public void Forget_drops_the_session_and_only_that_session()
    {
        _answers.Remember(_answers.Ticket, "ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        _answers.RememberRead(_answers.Ticket, "ses_a", "http.request", "p1");
        _answers.Remember(_answers.Ticket, "ses_b", "h2", Policy("ses_b", Start.AddHours(1)));

        _answers.Forget("ses_a");

        Assert.Null(_answers.Policy("ses_a", "h1"));
        Assert.False(_answers.IsRead("ses_a", "http.request", "p1"));
        Assert.NotNull(_answers.Policy("ses_b", "h2"));
        _answers.ForgetAll();
        Assert.Null(_answers.Policy("ses_b", "h2"));
    }

    [Fact]
    public void An_answer_asked_for_before_a_forget_is_not_kept_after_it()
    {
        // The grain answered "live" just before the kill; the forget then arrived before the answer was stored.
        var ticket = _answers.Ticket;
        _answers.Forget("ses_a");
        _answers.Remember(ticket, "ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        Assert.Null(_answers.Policy("ses_a", "h1"));

        _answers.Remember(_answers.Ticket, "ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        Assert.NotNull(_answers.Policy("ses_a", "h1"));
    }

    [Fact]
    public void Without_a_current_lease_nothing_is_trusted_or_kept()
    {
        _answers.Remember(_answers.Ticket, "ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        _answers.Lease(Start);
        Assert.Null(_answers.Policy("ses_a", "h1"));
        _answers.RememberRead(_answers.Ticket, "ses_a", "http.request", "p1");
        _answers.Lease(Start.AddSeconds(10));
        Assert.False(_answers.IsRead("ses_a", "http.request", "p1"));

        _clock.Now = Start.AddSeconds(10);
        _answers.Remember(_answers.Ticket, "ses_b", "h2", Policy("ses_b", Start.AddHours(1)));
        Assert.Null(_answers.Policy("ses_b", "h2"));
    }

    [Fact]
    public void A_zero_ttl_turns_the_cache_off()
    {
        var off = new EgressAnswers(new EgressOptions { AnswerCacheTtl = TimeSpan.Zero }, _clock);
        off.Lease(Start.AddHours(1));
        off.Remember(off.Ticket, "ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        Assert.Null(off.Policy("ses_a", "h1"));
    }

    [Fact]
    public void A_sweep_removes_what_has_expired()
    {
        _answers.Remember(_answers.Ticket, "ses_a", "h1", Policy("ses_a", Start.AddSeconds(1)));
        _answers.Remember(_answers.Ticket, "ses_b", "h2", Policy("ses_b", Start.AddHours(1)));
        _clock.Now = Start.AddSeconds(2);
        Assert.Equal(1, _answers.Sweep());
        Assert.Equal(0, _answers.Sweep());
        Assert.NotNull(_answers.Policy("ses_b", "h2"));
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
