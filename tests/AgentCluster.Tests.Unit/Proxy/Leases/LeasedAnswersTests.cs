using System.Collections.Immutable;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Leases;

namespace AgentCluster.Tests.Unit.Proxy.Leases;

public sealed class LeasedAnswersTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly MovableClock _clock = new(Start);
    private readonly LeasedAnswers _answers;

    public LeasedAnswersTests()
    {
        _answers = new LeasedAnswers(new EgressOptions { AnswerCacheTtl = TimeSpan.FromSeconds(5) }, _clock);
        _answers.Lease(Start + TimeSpan.FromSeconds(10));
    }

    private static EgressPolicy Policy(string session, DateTimeOffset expires) => new(session, "acme", ["example.com:443"], null) { Expires = expires };

    // Every call goes through the path the proxy takes: look up, else ask the grain and keep a live answer.
    // A refusal is never kept, so asking with one shows what the answers hold (the kept answer, or the refusal).

    private Task<EgressPolicy?> Answer(string session, string secretHash, EgressPolicy? policy) =>
        _answers.Policy(session, secretHash, () => Task.FromResult(policy));

    private Task<EgressPolicy?> Held(string session, string secretHash) => Answer(session, secretHash, null);

    private Task<GrantResolution> Answer(string session, string stubHash, string host, GrantResolution grant, string method = "GET", bool tls = true) =>
        _answers.Grant(session, stubHash, new GrantUse(session, host, [method], tls), () => Task.FromResult(grant));

    private async Task<bool> HeldGrant(string session, string stubHash, string host, string method = "GET", bool tls = true) =>
        (await Answer(session, stubHash, host, GrantResolution.Denied, method, tls)).Allowed;

    private Task<bool> AnswerRead(string session, string action, string payloadHash, bool read) =>
        _answers.IsRead(session, action, payloadHash, () => Task.FromResult(read));

    private Task<bool> HeldRead(string session, string action, string payloadHash) => AnswerRead(session, action, payloadHash, false);

    [Fact]
    public async Task A_live_answer_is_reused_for_its_ttl_then_asked_again()
    {
        await Answer("ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        Assert.NotNull(await Held("ses_a", "h1"));
        Assert.Null(await Held("ses_a", "other-secret"));
        Assert.Null(await Held("ses_b", "h1"));
        _clock.Now = Start.AddSeconds(5);
        Assert.Null(await Held("ses_a", "h1"));
    }

    [Fact]
    public async Task No_answer_outlives_the_session_deadline_or_the_grant_it_resolved()
    {
        await Answer("ses_a", "h1", Policy("ses_a", Start.AddSeconds(1)));
        await Answer("ses_a", "stub", "example.com",
            new GrantResolution(true, ImmutableDictionary<string, string>.Empty, "s") { ExpiresAt = Start.AddSeconds(2) });
        _clock.Now = Start.AddSeconds(1);
        Assert.Null(await Held("ses_a", "h1"));
        Assert.True(await HeldGrant("ses_a", "stub", "example.com"));
        Assert.False(await HeldGrant("ses_a", "stub", "other.example.com"));
        _clock.Now = Start.AddSeconds(2);
        Assert.False(await HeldGrant("ses_a", "stub", "example.com"));
    }

    [Fact]
    public async Task A_grant_answer_for_a_read_never_serves_a_write_nor_one_over_tls_a_plain_request()
    {
        await Answer("ses_a", "stub", "example.com",
            new GrantResolution(true, ImmutableDictionary<string, string>.Empty, "s") { ExpiresAt = Start.AddHours(1) });

        Assert.True(await HeldGrant("ses_a", "stub", "example.com"));
        Assert.False(await HeldGrant("ses_a", "stub", "example.com", "POST"));
        Assert.False(await HeldGrant("ses_a", "stub", "example.com", "DELETE"));
        Assert.False(await HeldGrant("ses_a", "stub", "example.com", tls: false));
        Assert.False((await _answers.Grant("ses_a", "stub", new GrantUse("ses_a", "example.com", ["GET", "DELETE"], true),
            () => Task.FromResult(GrantResolution.Denied))).Allowed);
    }

    [Fact]
    public async Task Forget_drops_the_session_and_only_that_session()
    {
        await Answer("ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        await AnswerRead("ses_a", "http.request", "p1", true);
        await Answer("ses_b", "h2", Policy("ses_b", Start.AddHours(1)));

        _answers.Forget("ses_a");

        Assert.Null(await Held("ses_a", "h1"));
        Assert.False(await HeldRead("ses_a", "http.request", "p1"));
        Assert.NotNull(await Held("ses_b", "h2"));
        _answers.ForgetAll();
        Assert.Null(await Held("ses_b", "h2"));
    }

    [Fact]
    public async Task An_answer_asked_for_before_a_forget_is_not_kept_after_it()
    {
        // The grain answered "live" just before the kill; the forget then arrived before the answer was stored.
        await _answers.Policy("ses_a", "h1", () =>
        {
            _answers.Forget("ses_a");
            return Task.FromResult<EgressPolicy?>(Policy("ses_a", Start.AddHours(1)));
        });
        Assert.Null(await Held("ses_a", "h1"));

        await Answer("ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        Assert.NotNull(await Held("ses_a", "h1"));
    }

    [Fact]
    public async Task Without_a_current_lease_nothing_is_trusted_or_kept()
    {
        await Answer("ses_a", "h1", Policy("ses_a", Start.AddHours(1)));
        _answers.Lease(Start);
        Assert.Null(await Held("ses_a", "h1"));
        await AnswerRead("ses_a", "http.request", "p1", true);
        _answers.Lease(Start.AddSeconds(10));
        Assert.False(await HeldRead("ses_a", "http.request", "p1"));

        _clock.Now = Start.AddSeconds(10);
        await Answer("ses_b", "h2", Policy("ses_b", Start.AddHours(1)));
        Assert.Null(await Held("ses_b", "h2"));
    }

    [Fact]
    public async Task A_zero_ttl_turns_the_cache_off()
    {
        var off = new LeasedAnswers(new EgressOptions { AnswerCacheTtl = TimeSpan.Zero }, _clock);
        off.Lease(Start.AddHours(1));
        await off.Policy("ses_a", "h1", () => Task.FromResult<EgressPolicy?>(Policy("ses_a", Start.AddHours(1))));
        Assert.Null(await off.Policy("ses_a", "h1", () => Task.FromResult<EgressPolicy?>(null)));
    }

    [Fact]
    public async Task A_sweep_removes_what_has_expired()
    {
        await Answer("ses_a", "h1", Policy("ses_a", Start.AddSeconds(1)));
        await Answer("ses_b", "h2", Policy("ses_b", Start.AddHours(1)));
        _clock.Now = Start.AddSeconds(2);
        Assert.Equal(1, _answers.Sweep());
        Assert.Equal(0, _answers.Sweep());
        Assert.NotNull(await Held("ses_b", "h2"));
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
