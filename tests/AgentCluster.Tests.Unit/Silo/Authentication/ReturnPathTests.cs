using AgentCluster.Silo.Authentication;
using Microsoft.AspNetCore.Http;

namespace AgentCluster.Tests.Unit.Silo.Authentication;

public sealed class ReturnPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/console/sessions", "/console/sessions")]
    [InlineData("/console/sessions?state=Ready&q=a%2Fb", "/console/sessions?state=Ready&q=a%2Fb")]
    [InlineData("/approvals/", "/approvals/")]
    [InlineData("/console/audit?kind=egress.*#top", "/console/audit?kind=egress.*#top")]
    public void A_path_on_this_site_is_kept(string wanted, string expected) => Assert.Equal(expected, ReturnPath.Safe(wanted));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example")]
    [InlineData("//evil.example/console")]
    [InlineData("///evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("http:/evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("console/sessions")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/ /evil.example")]
    [InlineData("/signin")]
    [InlineData("/signin?return=/")]
    [InlineData("/SIGNIN")]
    public void Anything_else_goes_to_the_front_door(string? wanted) => Assert.Equal(ReturnPath.Home, ReturnPath.Safe(wanted));

    [Fact]
    public void An_overlong_path_goes_to_the_front_door() => Assert.Equal(ReturnPath.Home, ReturnPath.Safe("/" + new string('a', 5000)));

    [Fact]
    public void The_sign_in_page_is_told_where_the_browser_was_going_escaped()
    {
        var http = new DefaultHttpContext();
        http.Request.Path = "/console/sessions";
        http.Request.QueryString = new QueryString("?state=Ready&q=a%2Fb");
        Assert.Equal("/signin?return=%2Fconsole%2Fsessions%3Fstate%3DReady%26q%3Da%252Fb", ReturnPath.SignInFor(http.Request));

        http.Request.Path = "/";
        http.Request.QueryString = QueryString.Empty;
        Assert.Equal("/signin", ReturnPath.SignInFor(http.Request));
    }
}
