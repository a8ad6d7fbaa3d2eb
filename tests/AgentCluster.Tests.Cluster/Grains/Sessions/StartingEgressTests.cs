using System.Collections.Immutable;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Tests.Cluster.Grains.Sessions;

/// <summary>
/// The proxy's check of a session's credential while the session is still starting: a desktop's
/// first page asks then (a claim hands the page over just before Ready). Refused, the proxy says 407
/// and the browser prompts for a proxy password; so the session's own secret waits for Ready.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StartingEgressTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_sessions_own_secret_waits_for_Ready_and_any_other_is_refused_at_once()
    {
        var (session, engine, creating) = await Starting();
        var secret = await ProxySecret(engine, creating);

        var other = session.AuthorizeEgress(ProxyCredentials.Hash(secret + "x"));
        Assert.Null(await other.WaitAsync(TimeSpan.FromSeconds(5)));
        var own = session.AuthorizeEgress(ProxyCredentials.Hash(secret));
        await Task.Delay(300);
        Assert.False(own.IsCompleted, "the check answered while the session was still starting");

        engine.StartGate!.SetResult();

        Assert.Equal(SessionCreateStatus.Ready, (await creating).Status);
        var policy = await own.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(policy);
        Assert.Equal(["shop.example"], policy.AllowHosts.ToArray());
    }

    [Fact]
    public async Task A_start_that_fails_refuses_the_check_that_waited()
    {
        var (session, engine, creating) = await Starting();
        var secret = await ProxySecret(engine, creating);
        var own = session.AuthorizeEgress(ProxyCredentials.Hash(secret));
        await Task.Delay(300);
        Assert.False(own.IsCompleted);

        engine.StartGate!.SetException(new SandboxLaunchException("the engine gave up"));

        Assert.NotEqual(SessionCreateStatus.Ready, (await creating).Status);
        Assert.Null(await own.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    /// <summary>A session whose launch waits on its engine's start gate, on a host of this test's own.</summary>
    private async Task<(ISessionGrain Session, FakeEngine Engine, Task<SessionCreateResult> Creating)> Starting()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var labels = ImmutableDictionary<string, string>.Empty.Add("pool", id);
        var endpoint = FakeEngines.NewEndpoint();
        var engine = FakeEngines.Instance.For(endpoint);
        engine.ProxyAddress = "10.0.0.1";
        engine.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = fixture.Grains.GetGrain<IDockerHostGrain>("h-" + id);
        await host.Register(new DockerHostRegistration(endpoint, null, 2, labels));
        await host.Reconcile();
        var tenant = "t-" + id;
        await fixture.Grains.GetGrain<ITenantGrain>(tenant).Create(new TenantQuotas(3, TimeSpan.FromMinutes(30), ["img"]));
        var session = fixture.Grains.GetGrain<ISessionGrain>(SessionIds.New());
        var creating = session.Create(new SessionRequest(tenant, "img", TimeSpan.FromMinutes(5), SandboxSpec.DefaultMemoryBytes, SandboxSpec.DefaultPidsLimit, ["shop.example"], labels, null, "test",
            [], SessionRequest.DefaultMaxGrantTtl));
        return (session, engine, creating);
    }

    /// <summary>The secret in the container's proxy URL (http://user:secret@address:port), once the engine has the container.</summary>
    private static async Task<string> ProxySecret(FakeEngine engine, Task<SessionCreateResult> creating)
    {
        for (var i = 0; i < 500; i++)
        {
            if (engine.Env.Values.SelectMany(e => e).FirstOrDefault(v => v.StartsWith("HTTP_PROXY=", StringComparison.Ordinal)) is { } variable)
                return new Uri(variable["HTTP_PROXY=".Length..]).UserInfo.Split(':')[1];
            if (creating.IsCompleted)
                throw new InvalidOperationException($"the create ended before its launch: {(await creating).Status}, {(await creating).Error}");
            await Task.Delay(10);
        }
        throw new TimeoutException("the engine never got the container");
    }
}
