using System.Collections.Immutable;
using AgentCluster.Grains.Egress;

namespace AgentCluster.Tests.Unit.Grains.Interfaces.Egress;

public sealed class SessionAllowlistTests
{
    private static readonly string[] Entries = ["api.example.com", "*.pypi.org:8443", "not a host"];

    [Theory]
    [InlineData("api.example.com", 443, true)]
    [InlineData("api.example.com", 8443, false)]
    [InlineData("files.pypi.org", 8443, true)]
    [InlineData("pypi.org", 8443, false)]
    [InlineData("evil.com", 443, false)]
    public void A_list_of_entries_and_a_policy_with_the_same_entries_answer_alike(string host, int port, bool allowed)
    {
        var policy = new EgressPolicy("ses_1", "acme", [.. Entries], null);
        Assert.Equal(allowed, SessionAllowlist.Allows(Entries, new Authority(host, port)));
        Assert.Equal(allowed, SessionAllowlist.Allows(policy, new Authority(host, port)));
    }

    [Fact]
    public void No_entries_allow_nothing() =>
        Assert.False(SessionAllowlist.Allows(ImmutableArray<string>.Empty, new Authority("api.example.com", 443)));
}
