using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Console;

namespace AgentCluster.Tests.Unit.Silo.Console;

public sealed class ConsoleNavigationTests
{
    private static readonly Caller Admin = new("key_a", "system", new HashSet<string>(StringComparer.Ordinal) { "admin" });

    [Fact]
    public void Sign_out_is_offered_only_to_a_browser_signed_in_by_cookie()
    {
        Assert.Contains("id=\"signout\"", ConsoleNavigation.Bar(Admin, signedInByCookie: true), StringComparison.Ordinal);
        Assert.DoesNotContain("signout", ConsoleNavigation.Bar(Admin, signedInByCookie: false), StringComparison.Ordinal);
        Assert.Contains("href=\"/console/fleet\"", ConsoleNavigation.Bar(Admin, signedInByCookie: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Nobody_signed_in_sees_no_links() => Assert.Equal("", ConsoleNavigation.Bar(null, signedInByCookie: false));
}
