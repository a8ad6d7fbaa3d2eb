using AgentCluster.ComputerProtocol;
using AgentCluster.ComputerServer.Serving;

namespace AgentCluster.Tests.Unit.SandboxServer.Egress;

public sealed class ProxyConfigurationTests
{
    [Theory]
    [InlineData("http://10.9.0.1:8443", "ses_a:s3cret")]
    [InlineData("http://[fd00::1]:8443", "pc_1:s3cret")]
    public void A_proxy_address_and_a_user_secret_pair_are_taken(string url, string credential) =>
        Assert.Null(Record.Exception(() => ProxyConfiguration.Check(new ProxySettings(url, credential, null))));

    [Theory]
    [InlineData("https://10.9.0.1:8443", "ses_a:s3cret", "proxy url")]
    [InlineData("http://ses_a:s3cret@10.9.0.1:8443", "ses_a:s3cret", "proxy url")]
    [InlineData("http://10.9.0.1:8443/path", "ses_a:s3cret", "proxy url")]
    [InlineData("10.9.0.1:8443", "ses_a:s3cret", "proxy url")]
    [InlineData("http://10.9.0.1:8443", "nosecret", "proxy credential")]
    [InlineData("http://10.9.0.1:8443", ":s3cret", "proxy credential")]
    [InlineData("http://10.9.0.1:8443", "ses_a:s3\r\ncret", "proxy credential")]
    public void Anything_else_is_a_bad_request_whose_message_never_holds_the_credential(string url, string credential, string error)
    {
        var e = Assert.Throws<ArgumentException>(() => ProxyConfiguration.Check(new ProxySettings(url, credential, null)));
        Assert.StartsWith(error, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_settings_print_without_their_credential()
    {
        var printed = new ComputerRequest { Action = ComputerActions.Configure, Proxy = new ProxySettings("http://10.9.0.1:8443", "ses_a:s3cret", null) }.ToString();
        Assert.DoesNotContain("s3cret", printed, StringComparison.Ordinal);
        Assert.Contains("http://10.9.0.1:8443", printed, StringComparison.Ordinal);
    }
}
