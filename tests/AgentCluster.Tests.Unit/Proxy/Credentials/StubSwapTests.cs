using System.Text;
using AgentCluster.Proxy.Credentials;

namespace AgentCluster.Tests.Unit.Proxy.Credentials;

public sealed class StubSwapTests
{
    private const string Stub = "agc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Theory]
    [InlineData("Bearer " + Stub, Stub)]
    [InlineData(Stub, Stub)]
    [InlineData("token=" + Stub + "&x=1", Stub)]
    [InlineData("Bearer agc_short", null)]
    [InlineData("Bearer " + Stub + "A", null)]
    [InlineData("Bearer xagc_", null)]
    [InlineData(null, null)]
    public void Stubs_are_found_only_whole(string? text, string? expected) => Assert.Equal(expected, StubTokens.Find(text));

    [Fact]
    public void A_stub_is_found_in_any_body_bytes()
    {
        Assert.True(StubTokens.In(Encoding.UTF8.GetBytes($"{{\"t\":\"{Stub}\"}}")));
        Assert.True(StubTokens.In([0xff, 0x00, .. Encoding.ASCII.GetBytes(Stub), 0xfe]));
        Assert.False(StubTokens.In(Encoding.UTF8.GetBytes("agc_ nothing here")));
    }

    [Fact]
    public void What_comes_back_shows_the_stub_where_the_real_credential_was()
    {
        var plan = new SwapPlan("Authorization", "Bearer " + Stub, Stub,
            new Dictionary<string, string> { ["Authorization"] = "Bearer sk_live_1" }, "sk_live_1");

        Assert.Equal($"auth=Bearer {Stub}; key={Stub}", plan.Strip("auth=Bearer sk_live_1; key=sk_live_1"));
        Assert.True(plan.Reveals("xx sk_live_1"));
        Assert.False(plan.Reveals("nothing"));
    }

    [Fact]
    public void Basic_credentials_come_back_as_the_header_the_client_sent()
    {
        var plan = new SwapPlan("Authorization", "Bearer " + Stub, Stub,
            new Dictionary<string, string> { ["Authorization"] = "Basic dXNlcjpzM2NyZXQ=" }, "s3cret");

        Assert.Equal($"got Bearer {Stub} and {Stub}", plan.Strip("got Basic dXNlcjpzM2NyZXQ= and s3cret"));
    }

    [Fact]
    public void A_plan_never_prints_the_secret()
    {
        var plan = new SwapPlan("Authorization", "Bearer " + Stub, Stub,
            new Dictionary<string, string> { ["Authorization"] = "Bearer sk_live_1" }, "sk_live_1");
        Assert.DoesNotContain("sk_live_1", plan.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Stub, plan.ToString(), StringComparison.Ordinal);
    }
}
