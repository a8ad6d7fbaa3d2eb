using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class PoolClaimTests
{
    private readonly TestHost _host = new();
    private readonly PoolClaim _claim;
    private int _claimedTold;

    public PoolClaimTests() => _claim = new PoolClaim(_host.Kills, _host.Desktops, 8443, NullLogger.Instance);

    /// <summary>One pooled container, made with a credential, taken for a session that egresses.</summary>
    private async Task<(WarmPool.Warm Warm, SandboxSpec Spec)> Taken(string session)
    {
        _host.Engine.ProxyAddress = "10.9.0.1";
        var containers = new PoolContainers(Builder(), 8443, _host.Clock, _host.Kills, _host.Desktops, NullLogger.Instance);
        Assert.True(await containers.Make(_host.Context, TestHost.Entry, (_, _, _) => Task.FromResult(true)));
        var spec = _host.Spec(session) with { Proxy = new ProxyCredential(session, "unused") };
        return (_host.Pool.Take(spec, _host.Health.Generation)!, spec);
    }

    private void Claimed() => _claimedTold++;

    private static Task<string?> NoCa() => throw new InvalidOperationException("only a desktop's claim asks for the proxy CA");

    [Fact]
    public async Task A_claim_binds_the_credential_renames_and_unpauses_the_container_for_the_session()
    {
        var (warm, spec) = await Taken(Session(1));
        string? boundTo = null;

        var result = await _claim.Run(_host.Context, warm, spec, credential =>
        {
            boundTo = credential;
            return Task.FromResult<string?>("hash-of-secret");
        }, Claimed, NoCa);

        Assert.NotNull(result);
        Assert.Equal((LaunchStatus.Started, true, "hash-of-secret", warm.Credential), (result.Status, result.Pooled, result.ProxyCredentialHash, result.PooledCredential));
        Assert.Equal(warm.Credential, boundTo);
        var container = Assert.Single(_host.Engine.Containers);
        Assert.Equal(("running", SandboxContainerSpec.ContainerName(Session(1))), (container.State, container.Name));
        Assert.Equal(1, _host.Ledger.Running);
        Assert.Equal(1, _claimedTold);
    }

    [Fact]
    public async Task A_credential_that_cannot_be_bound_kills_the_container_and_the_launch_goes_cold()
    {
        var (warm, spec) = await Taken(Session(1));

        var result = await _claim.Run(_host.Context, warm, spec, _ => Task.FromResult<string?>(null), Claimed, NoCa);

        Assert.Null(result);
        Assert.Empty(_host.Engine.Containers);
        Assert.False(_host.Ledger.Knows(warm.Id));
        Assert.Equal(1, _claimedTold);
    }

    [Fact]
    public async Task A_container_that_cannot_be_unpaused_is_killed_and_the_launch_goes_cold()
    {
        var (warm, spec) = await Taken(Session(1));
        _host.Engine.FailNextUnpause = true;

        Assert.Null(await _claim.Run(_host.Context, warm, spec, _ => Task.FromResult<string?>("h"), Claimed, NoCa));

        Assert.Empty(_host.Engine.Containers);
    }

    [Fact]
    public async Task A_session_that_already_has_a_container_is_refused_and_the_pool_container_killed()
    {
        var (warm, spec) = await Taken(Session(1));
        var existing = _host.Engine.Add(new Dictionary<string, string>(), null, "running", SandboxContainerSpec.ContainerName(Session(1)));

        var result = await _claim.Run(_host.Context, warm, spec, _ => Task.FromResult<string?>("h"), Claimed, NoCa);

        Assert.Equal(LaunchStatus.Failed, result?.Status);
        Assert.Contains("already exists", result?.Error);
        Assert.Equal([existing], _host.Engine.Containers.Select(c => c.Id));
    }
}
