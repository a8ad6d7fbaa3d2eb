using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Unit.Grains.Interfaces.Egress;

public sealed class ProxyCredentialTests
{
    [Fact]
    public void The_proxy_url_carries_session_and_secret_and_brackets_ipv6()
    {
        var credential = new ProxyCredential("ses_1", "s3cret");
        Assert.Equal("http://ses_1:s3cret@10.1.2.1:8443", credential.ProxyUrl("10.1.2.1", 8443));
        Assert.Equal("http://ses_1:s3cret@[fd00::1]:8443", credential.ProxyUrl("fd00::1", 8443));
    }

    [Fact]
    public void Printing_a_credential_or_a_spec_holding_one_never_shows_the_secret()
    {
        var secret = ProxyCredentials.NewSecret();
        var credential = new ProxyCredential("ses_1", secret);
        var spec = SandboxSpec.Create("ses_1", "t", "img", DateTimeOffset.UnixEpoch) with { Proxy = credential };
        Assert.DoesNotContain(secret, credential.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, spec.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_hash_of_the_same_secret_matches()
    {
        var secret = ProxyCredentials.NewSecret();
        Assert.Equal(64, secret.Length);
        Assert.NotEqual(secret, ProxyCredentials.NewSecret());
        var stored = ProxyCredentials.Hash(secret);
        Assert.True(ProxyCredentials.Matches(stored, ProxyCredentials.Hash(secret)));
        Assert.False(ProxyCredentials.Matches(stored, ProxyCredentials.Hash(secret + "x")));
        Assert.False(ProxyCredentials.Matches(stored, ""));
    }

    [Fact]
    public void The_sandbox_gets_both_spellings_of_the_proxy_variables() =>
        Assert.Equal(["HTTP_PROXY=u", "HTTPS_PROXY=u", "http_proxy=u", "https_proxy=u"], SandboxContainerSpec.ProxyEnv("u"));
}
