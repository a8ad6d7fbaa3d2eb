using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class CanaryVerdictTests
{
    private const string Gateway = "10.211.0.1";
    private const int Proxy = 8443;
    private static readonly int[] Probed = [22, 5080, Proxy];

    private static CanaryVerdict Judge(string output, string? gateway = Gateway) => CanaryVerdict.Judge(output, gateway, Probed, Proxy);

    [Fact]
    public void Silence_everywhere_is_safe_and_so_is_the_proxy_answering()
    {
        Assert.True(Judge("22 silent\n5080 silent\n8443 silent\n").Safe);
        var proxyAnswers = Judge("22 silent\n5080 silent\n8443 open\n");
        Assert.True(proxyAnswers.Safe);
        Assert.Empty(proxyAnswers.Refused);
    }

    [Fact]
    public void Any_other_port_that_accepts_makes_the_host_unsafe_and_says_which()
    {
        var verdict = Judge("8443 open\n5080 open\n22 open\n");

        Assert.False(verdict.Safe);
        Assert.Equal($"a sandbox reaches {Gateway} on port(s) 22, 5080; only the proxy's port {Proxy} may answer", verdict.Reason);
    }

    [Fact]
    public void A_refusal_is_no_service_but_tells_that_no_rule_set_drops_the_traffic()
    {
        var verdict = Judge("22 refused\n5080 silent\n8443 refused\n");

        Assert.True(verdict.Safe);
        Assert.Equal([22], verdict.Refused);
    }

    [Fact]
    public void A_refused_proxy_port_is_a_proxy_not_listening_yet_and_says_nothing_of_the_rule_set()
    {
        var verdict = Judge("22 silent\n5080 silent\n8443 refused\n");

        Assert.True(verdict.Safe);
        Assert.Empty(verdict.Refused);
    }

    [Fact]
    public void What_the_canary_did_not_report_is_not_proven_safe()
    {
        var verdict = Judge("22 silent\n8443 silent\nnoise\n5080\n");

        Assert.False(verdict.Safe);
        Assert.Equal($"the canary did not report port(s) 5080 of {Gateway}", verdict.Reason);
        Assert.False(Judge("").Safe);
    }

    [Fact]
    public void Without_a_gateway_or_a_run_there_is_no_verdict_but_unsafe()
    {
        Assert.False(Judge("22 silent\n5080 silent\n8443 silent\n", gateway: null).Safe);
        Assert.False(Judge("nogateway\n").Safe);
        var failed = CanaryVerdict.CouldNotRun("image agentcluster/sandbox:local is not on host h1");
        Assert.Equal((false, false), (failed.Safe, failed.Ran));
        Assert.Contains("could not run: image", failed.Reason);
    }
}
