using System.Net;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Egress.Addresses;
using AgentCluster.Proxy.Identity;
using AgentCluster.Proxy.Leases;
using AgentCluster.Proxy.Limits;
using AgentCluster.Proxy.Pipeline;
using AgentCluster.Proxy.Pipeline.Steps;

namespace AgentCluster.Tests.Unit.Proxy.Pipeline.Steps;

/// <summary>Each step on its own, with nothing behind it that could connect anywhere.</summary>
public sealed class StepTests
{
    [Fact]
    public async Task No_or_a_malformed_credential_is_407_without_asking_the_cluster()
    {
        // A null cluster: asking it would throw, so a pass here proves nobody was asked.
        using var sources = new SourceLimits(new EgressOptions());
        var identity = new IdentityStep(Authenticator(), sources);
        using var none = Exchanges.Http("http://api.example.com/");
        Assert.Equal(EgressRefusal.ProxyAuthRequired("no-credential"), await identity.Check(none));
        using var garbage = Exchanges.Http("http://api.example.com/", headers: h => h.ProxyAuthorization = "Basic !!!");
        Assert.Equal(EgressRefusal.ProxyAuthRequired("bad-or-dead-credential"), await identity.Check(garbage));
        Assert.Null(garbage.Policy);
    }

    [Fact]
    public async Task A_source_out_of_failures_gets_429_for_an_unknown_credential_without_asking_the_cluster()
    {
        using var sources = new SourceLimits(new EgressOptions { SourceFailureBurst = 1, SourceFailuresPerSecond = 1 });
        var identity = new IdentityStep(Authenticator(), sources);
        using var garbage = Exchanges.Http("http://api.example.com/", headers: h => h.ProxyAuthorization = "Basic !!!");
        Assert.Equal(EgressRefusal.ProxyAuthRequired("bad-or-dead-credential"), await identity.Check(garbage));

        // Well-formed, so only the session grain could say; the null cluster proves it was not asked.
        using var plausible = Guessed(AgentCluster.Grains.Sessions.SessionIds.New());
        Assert.Equal(new EgressRefusal(429, "rate-limited", "source-auth-failures"), await identity.Check(plausible));

        // A warm-pool credential id would be looked up in its pooled-credential grain: not asked either.
        using var pooled = Guessed(AgentCluster.Grains.Egress.PooledCredentials.NewId());
        Assert.Equal(new EgressRefusal(429, "rate-limited", "source-auth-failures"), await identity.Check(pooled));
    }

    [Fact]
    public async Task A_source_out_of_failures_stays_capped_while_its_bucket_refills_only_a_fraction()
    {
        using var sources = new SourceLimits(new EgressOptions { SourceFailureBurst = 5, SourceFailuresPerSecond = 1 });
        var identity = new IdentityStep(Authenticator(), sources);
        for (var i = 0; i < 5; i++)
        {
            using var garbage = Exchanges.Http("http://api.example.com/", headers: h => h.ProxyAuthorization = "Basic !!!");
            Assert.Equal(EgressRefusal.ProxyAuthRequired("bad-or-dead-credential"), await identity.Check(garbage));
        }

        // The limiter refills every 100 ms in fractions of a token: a fifth of one is back, not a whole failure.
        await Task.Delay(200);
        using var plausible = Guessed(AgentCluster.Grains.Sessions.SessionIds.New());
        Assert.Equal(new EgressRefusal(429, "rate-limited", "source-auth-failures"), await identity.Check(plausible));
    }

    [Fact]
    public async Task Any_source_over_its_request_rate_gets_429_before_its_credential_is_read()
    {
        using var sources = new SourceLimits(new EgressOptions { SourceRequestBurst = 1, SourceRequestsPerSecond = 1 });
        var identity = new IdentityStep(Authenticator(), sources);
        using var first = Exchanges.Http("http://api.example.com/");
        Assert.Equal(EgressRefusal.ProxyAuthRequired("no-credential"), await identity.Check(first));
        using var second = Exchanges.Http("http://api.example.com/");
        Assert.Equal(new EgressRefusal(429, "rate-limited", "source-rate-limit"), await identity.Check(second));
    }

    /// <summary>A well-formed credential of a made-up secret: only the cluster could tell it is wrong.</summary>
    private static HttpExchange Guessed(string user) => Exchanges.Http("http://api.example.com/", headers: h => h.ProxyAuthorization = "Basic " +
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:guess")));

    private static SessionAuthenticator Authenticator() =>
        new(null!, new LeasedAnswers(new EgressOptions(), TimeProvider.System), new PooledBindings(null!), new EgressOptions());

    [Fact]
    public async Task A_step_after_identity_refuses_to_run_without_a_session()
    {
        using var exchange = Exchanges.Http("http://api.example.com/");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await new AllowlistStep().Check(exchange));
    }

    [Fact]
    public async Task The_session_slot_is_held_until_the_exchange_ends()
    {
        using var limits = new SessionLimits(new EgressOptions { MaxConcurrentPerSession = 1 });
        var step = new LimitsStep(limits);
        using (var first = Exchanges.Http("http://api.example.com/").WithPolicy())
        {
            Assert.Null(await step.Check(first));
            using var second = Exchanges.Connect("api.example.com:443").WithPolicy();
            Assert.Equal(new EgressRefusal(429, "rate-limited", "concurrency-limit"), await step.Check(second));
        }
        using var third = Exchanges.Http("http://api.example.com/").WithPolicy();
        Assert.Null(await step.Check(third));
    }

    [Fact]
    public async Task Only_an_allowlisted_host_and_port_pass()
    {
        var step = new AllowlistStep();
        using var listed = Exchanges.Connect("api.example.com:443").WithPolicy(Exchanges.Policy("api.example.com"));
        Assert.Null(await step.Check(listed));
        using var port = Exchanges.Connect("api.example.com:22").WithPolicy(Exchanges.Policy("api.example.com"));
        Assert.Equal(EgressRefusal.Denied("not-allowlisted"), await step.Check(port));
    }

    [Fact]
    public async Task The_address_is_checked_and_kept_or_refused_with_its_class()
    {
        var step = new AddressStep(new TargetResolver(new AddressGuard([], []), (_, _) => Task.FromResult(new[] { IPAddress.Parse("10.1.2.3") })));
        using var refused = Exchanges.Connect("api.example.com:443").WithPolicy();
        Assert.Equal(EgressRefusal.Denied("address-private"), await step.Check(refused));
        Assert.Null(refused.Endpoint);

        var good = new AddressStep(new TargetResolver(new AddressGuard([], []), (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") })));
        using var allowed = Exchanges.Connect("api.example.com:443").WithPolicy();
        Assert.Null(await good.Check(allowed));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("93.184.216.34"), 443), allowed.Endpoint);
    }

    [Fact]
    public async Task An_address_already_checked_by_the_connect_is_not_looked_up_again()
    {
        var step = new AddressStep(new TargetResolver(new AddressGuard([], []), (_, _) => throw new InvalidOperationException("looked up")));
        using var exchange = Exchanges.Connect("api.example.com:443").WithPolicy();
        exchange.Endpoint = new IPEndPoint(IPAddress.Parse("93.184.216.34"), 443);
        Assert.Null(await step.Check(exchange));
    }

    [Fact]
    public async Task A_connect_carries_no_body_stub_or_action_of_its_own_so_those_steps_pass()
    {
        using var exchange = Exchanges.Connect("api.example.com:443").WithPolicy();
        // Null dependencies: any use of them would throw.
        Assert.Null(await new BodyStep(null!).Check(exchange));
        Assert.Null(await new CredentialStep(null!).Check(exchange));
        Assert.Null(await new GateStep(null!, null!).Check(exchange));
    }
}
