using System.Text;
using AgentCluster.Proxy.Identity;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Tests.Unit.Proxy.Identity;

/// <summary>The proxy's parser of <c>Proxy-Authorization</c>.</summary>
public sealed class ProxyAuthorizationTests
{
    private const string Session = "ses_0123456789abcdef0123456789abcdef";

    [Fact]
    public void A_basic_credential_is_a_session_id_and_a_secret()
    {
        Assert.Equal((Session, "s3cret:with:colons"), ProxyAuthorization.Parse(Basic($"{Session}:s3cret:with:colons")));
        Assert.Equal((Session, "x"), ProxyAuthorization.Parse("basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Session}:x"))));
    }

    [Fact]
    public void A_warm_pool_containers_credential_id_stands_where_a_session_id_would()
    {
        const string pooled = "pcr_0123456789abcdef0123456789abcdef";
        Assert.Equal((pooled, "s3cret"), ProxyAuthorization.Parse(Basic($"{pooled}:s3cret")));
        Assert.Null(ProxyAuthorization.Parse(Basic("pcr_0123:s3cret")));
        Assert.Null(ProxyAuthorization.Parse(Basic("pcr_0123456789ABCDEF0123456789ABCDEF:s3cret")));
        Assert.Null(ProxyAuthorization.Parse(Basic("pool-0123456789abcdef01234567:s3cret")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Basic !!!")]
    [InlineData("Basic ")]
    public void Anything_else_is_no_credential(string header) => Assert.Null(ProxyAuthorization.Parse(header));

    [Fact]
    public void Wrong_user_names_empty_secrets_and_two_headers_are_no_credential()
    {
        Assert.Null(ProxyAuthorization.Parse(Basic("admin:pw")));
        Assert.Null(ProxyAuthorization.Parse(Basic($"{Session}:")));
        Assert.Null(ProxyAuthorization.Parse(Basic(Session)));
        Assert.Null(ProxyAuthorization.Parse(Basic($"{Session}:{new string('x', 300)}")));
        Assert.Null(ProxyAuthorization.Parse(new StringValues([Basic($"{Session}:a"), Basic($"{Session}:a")])));
        Assert.Null(ProxyAuthorization.Parse("Basic " + Convert.ToBase64String([0xff, 0xfe, (byte)':', 0x41])));
    }

    private static string Basic(string text) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
