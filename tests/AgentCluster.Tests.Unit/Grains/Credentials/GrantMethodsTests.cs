using AgentCluster.Grains.Credentials;

namespace AgentCluster.Tests.Unit.Grains.Credentials;

public sealed class GrantMethodsTests
{
    [Theory]
    [InlineData("read", "GET", true)]
    [InlineData("read", "HEAD", true)]
    [InlineData("read", "OPTIONS", true)]
    [InlineData("read", "POST", false)]
    [InlineData("read", "PUT", false)]
    [InlineData("read", "PATCH", false)]
    [InlineData("read", "DELETE", false)]
    [InlineData("write", "POST", true)]
    [InlineData("write", "PATCH", true)]
    [InlineData("write", "GET", true)]
    [InlineData("write", "DELETE", false)]
    [InlineData("delete", "DELETE", true)]
    [InlineData("delete", "GET", true)]
    [InlineData("delete", "TRACE", false)]
    [InlineData("read", "TRACE", false)]
    [InlineData("admin", "GET", false)]
    public void A_grant_action_bounds_the_methods(string action, string method, bool allowed) =>
        Assert.Equal(allowed, GrantMethods.Allow(action, [], [method]));

    [Fact]
    public void Every_method_a_request_may_be_read_as_must_be_allowed()
    {
        Assert.False(GrantMethods.Allow("read", [], ["GET", "DELETE"]));
        Assert.True(GrantMethods.Allow("delete", [], ["GET", "DELETE"]));
        Assert.False(GrantMethods.Allow("delete", [], []));
    }

    [Fact]
    public void A_secret_narrows_and_never_widens()
    {
        Assert.True(GrantMethods.Allow("write", ["GET", "POST"], ["POST"]));
        Assert.False(GrantMethods.Allow("write", ["GET", "POST"], ["PUT"]));
        // The secret names DELETE, the grant is a read: the grant still bounds it.
        Assert.False(GrantMethods.Allow("read", ["GET", "DELETE"], ["DELETE"]));
    }

    [Fact]
    public void A_secret_may_name_only_what_its_actions_allow()
    {
        Assert.Equal(["GET", "HEAD", "OPTIONS"], GrantMethods.OfAny(["read"]).ToArray());
        Assert.Equal(GrantMethods.Delete.ToArray(), GrantMethods.OfAny(["read", "delete"]).ToArray());
        Assert.Empty(GrantMethods.OfAny(["admin"]));
    }
}
