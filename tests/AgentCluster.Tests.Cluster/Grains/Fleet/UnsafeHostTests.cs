using System.Collections.Immutable;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Tests.Doubles;

namespace AgentCluster.Tests.Cluster.Grains.Fleet;

/// <summary>A host whose canary reaches more than the proxy, over a fake engine: no sessions, no pool, one audit row.</summary>
[Collection(ClusterCollection.Name)]
public sealed class UnsafeHostTests(ClusterFixture fixture)
{
    private static readonly ImmutableDictionary<string, string> Pooled = ImmutableDictionary<string, string>.Empty.Add("warmpool", "on");

    [Fact]
    public async Task An_unsafe_host_takes_no_session_and_keeps_no_pool_and_is_audited_once()
    {
        var endpoint = FakeEngines.NewEndpoint();
        var engine = FakeEngines.Instance.For(endpoint);
        engine.CanaryAnswers[5080] = CanaryVerdict.Open;
        var name = "unsafe-" + Guid.NewGuid().ToString("N");
        var host = fixture.Grains.GetGrain<IDockerHostGrain>(name);

        await host.Register(new DockerHostRegistration(endpoint, null, 5, Pooled));
        await host.Reconcile();
        await host.Reconcile();

        var status = (await host.GetStatus())!;
        Assert.Equal(HostHealth.Unsafe, status.Health);
        Assert.Equal("a sandbox reaches 10.0.0.1 on port(s) 5080; only the proxy's port 8443 may answer", status.UnsafeReason);
        Assert.False(status.TakesWork);
        var launch = await host.Launch(SandboxSpec.Create("ses_" + Guid.NewGuid().ToString("N"), "t", WarmPoolTests.Image, DateTimeOffset.UtcNow.AddMinutes(5)));
        Assert.Equal(LaunchStatus.HostUnavailable, launch.Status);
        Assert.Equal(0, engine.Creates);
        await Task.Delay(600); // three refill ticks of the fixture's pool
        Assert.Empty(await host.GetWarmPool());
        Assert.Equal(0, engine.Creates);
        var row = Assert.Single(RecordedAudit.Instance.Events, e => e.Kind == AuditKinds.HostUnsafe && e.Subject == name);
        Assert.Equal((AuditOutcomes.Failed, status.UnsafeReason, endpoint), (row.Outcome, row.Reason, row.Detail["endpoint"]));
    }
}
