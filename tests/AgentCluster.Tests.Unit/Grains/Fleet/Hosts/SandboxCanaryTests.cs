using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class SandboxCanaryTests
{
    private readonly TestHost _host = new();
    private readonly CanaryOptions _options = new() { Probed = [22, 5080] };
    private readonly SandboxCanary _canary;

    public SandboxCanaryTests() => _canary = new SandboxCanary(Builder(), _options, 8443, _host.Clock);

    [Fact]
    public async Task A_host_where_only_the_proxy_answers_is_safe_and_one_that_answers_on_a_cluster_port_is_not()
    {
        _host.Engine.CanaryAnswers[8443] = CanaryVerdict.Open;
        Assert.True((await _canary.Run(_host.Context)).Safe);

        _host.Engine.CanaryAnswers[5080] = CanaryVerdict.Open;
        var verdict = await _canary.Run(_host.Context);

        Assert.False(verdict.Safe);
        Assert.Contains("on port(s) 5080;", verdict.Reason);
        Assert.Equal(2, _host.Engine.CanaryRuns);
    }

    [Fact]
    public async Task A_canary_that_cannot_run_or_has_no_gateway_leaves_the_host_unsafe()
    {
        _host.Engine.CanaryError = "image agentcluster/sandbox:local is not on this host";
        var failed = await _canary.Run(_host.Context);
        Assert.Equal((false, false), (failed.Safe, failed.Ran));

        _host.Engine.CanaryError = null;
        _host.Engine.Gateway = "not-an-address; rm -rf /";
        Assert.False((await _canary.Run(_host.Context)).Safe);
    }

    [Fact]
    public void The_script_tries_every_port_at_once_within_the_probe_timeout_and_says_one_line_each()
    {
        var script = SandboxCanary.Script("10.211.0.1", [22, 5080, 8443], probeSeconds: 2);

        Assert.Contains("for p in 22 5080 8443; do", script);
        Assert.Contains("nc -w 2 10.211.0.1 \"$p\" -e /bin/true", script);
        Assert.Contains(") &", script);
        Assert.EndsWith("wait", script.TrimEnd());
        Assert.Equal("echo nogateway", SandboxCanary.Script(null, [22], 1));
    }

    [Fact]
    public void The_canary_is_hardened_as_a_sandbox_and_carries_no_session_label()
    {
        var spec = Builder();
        var canary = spec.BuildCanary("agentcluster/sandbox:local", "h1", "echo hi", Now);
        var sandbox = spec.Build(Spec(), Now);

        Assert.Equal("agentcluster-canary-h1", canary.Name);
        Assert.Equal(new Dictionary<string, string> { [SandboxLabels.Canary] = "h1" }, canary.Labels);
        Assert.Equal(["/bin/sh", "-c"], canary.Entrypoint);
        Assert.Equal(["echo hi"], canary.Cmd);
        Assert.Empty(canary.Env);
        Assert.Equal(sandbox.User, canary.User);
        Assert.Equal(sandbox.HostConfig.NetworkMode, canary.HostConfig.NetworkMode);
        Assert.Equal(sandbox.HostConfig.SecurityOpt, canary.HostConfig.SecurityOpt);
        Assert.Equal(sandbox.HostConfig.CapDrop, canary.HostConfig.CapDrop);
        Assert.True(canary.HostConfig.ReadonlyRootfs);
    }
}
