using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class SandboxLaunchTests
{
    private readonly TestHost _host = new();
    private readonly SandboxLaunch _launch;

    public SandboxLaunchTests() => _launch = new SandboxLaunch(Builder(), 8443, _host.Clock, NullLogger.Instance);

    [Fact]
    public async Task A_cold_launch_gives_the_sandbox_its_proxy_and_is_counted()
    {
        _host.Engine.ProxyAddress = "10.9.0.1";
        var spec = _host.Spec(Session(1)) with { Proxy = new ProxyCredential(Session(1), "s3cret") };

        var result = await _launch.Cold(_host.Context, spec);

        Assert.Equal((LaunchStatus.Started, TestHost.Name, "10.0.0.2"), (result.Status, result.Host, result.IpAddress));
        Assert.Contains($"HTTP_PROXY=http://{Session(1)}:s3cret@10.9.0.1:8443", _host.Engine.Env[result.ContainerId!]);
        Assert.True(_host.Ledger.Knows(result.ContainerId!));
        Assert.Equal(1, _host.Ledger.Running);
    }

    [Fact]
    public async Task A_launch_labels_its_container_with_the_hosts_deployment()
    {
        var result = await _launch.Cold(_host.Context with { Deployment = "d1" }, _host.Spec(Session(1)));

        var container = Assert.Single(_host.Engine.Containers, c => c.Id == result.ContainerId);
        Assert.Equal("d1", container.Deployment);
    }

    [Fact]
    public async Task A_desktop_gets_the_proxy_ca_but_never_the_credential_in_its_environment()
    {
        _host.Engine.ProxyAddress = "10.9.0.1";
        var spec = _host.Spec(Session(1)) with { Proxy = new ProxyCredential(Session(1), "s3cret"), Desktop = true };

        var result = await _launch.Cold(_host.Context, spec, () => Task.FromResult("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"));

        var env = _host.Engine.Env[result.ContainerId!];
        Assert.Contains("AGENTCLUSTER_PROXY_CA=-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", env);
        Assert.DoesNotContain(env, e => e.Contains("s3cret", StringComparison.Ordinal) || e.Contains("_PROXY=", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Without_a_proxy_address_the_sandbox_gets_no_proxy_variables()
    {
        var spec = _host.Spec(Session(1)) with { Proxy = new ProxyCredential(Session(1), "s3cret") };

        var result = await _launch.Cold(_host.Context, spec);

        Assert.DoesNotContain(_host.Engine.Env[result.ContainerId!], e => e.Contains("PROXY", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_launch_that_fails_leaves_nothing_counted_and_says_why()
    {
        _host.Engine.ImageMissing = true;
        var spec = _host.Spec(Session(1));

        var e = await Assert.ThrowsAsync<SandboxLaunchException>(() => _launch.Cold(_host.Context, spec));

        Assert.Equal(0, _host.Ledger.Running);
        Assert.Equal(LaunchStatus.ImageNotFound, _launch.Refusal(TestHost.Name, spec, e).Status);
        var failed = _launch.Refusal(TestHost.Name, spec, new TimeoutException("docker create took too long"));
        Assert.Equal((LaunchStatus.Failed, "docker create took too long"), (failed.Status, failed.Error));
    }
}
