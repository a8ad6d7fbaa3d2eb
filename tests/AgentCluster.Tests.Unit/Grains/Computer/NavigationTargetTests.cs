using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Egress;

namespace AgentCluster.Tests.Unit.Grains.Computer;

public sealed class NavigationTargetTests
{
    [Theory]
    [InlineData("https://API.Example.com/a?b=c", "https://api.example.com/a?b=c", "api.example.com", 443)]
    [InlineData("http://api.example.com:8080", "http://api.example.com:8080/", "api.example.com", 8080)]
    [InlineData("https://münchen.de/", "https://xn--mnchen-3ya.de/", "xn--mnchen-3ya.de", 443)]
    [InlineData("http://[::1]:9000/x", "http://[::1]:9000/x", "::1", 9000)]
    [InlineData("http://127.1/", "http://127.0.0.1/", "127.0.0.1", 80)]
    public void An_http_url_goes_to_the_browser_canonical_with_the_host_it_reaches(string url, string sent, string host, int port)
    {
        var parsed = NavigationTarget.Parse(url, out var error);
        Assert.True(parsed is not null, error);
        Assert.Equal((sent, new Authority(host, port)), (parsed.Value.Url, parsed.Value.Target));
    }

    [Theory]
    [InlineData("data:text/html,<body style=\"margin:0\">hi there</body>")]
    [InlineData("about:blank")]
    public void Data_and_about_blank_reach_no_host_and_go_as_written(string url)
    {
        var parsed = NavigationTarget.Parse(url, out _);
        Assert.Equal((url, (Authority?)null), parsed);
    }

    [Theory]
    [InlineData("javascript:alert(1)", "not javascript:")]
    [InlineData("file:///etc/passwd", "not file:")]
    [InlineData("chrome://settings", "not chrome:")]
    [InlineData("about:settings", "not about:")]
    [InlineData("example.com", "absolute URL")]
    [InlineData("https://user:pw@api.example.com/", "no user name, password or backslash")]
    [InlineData("https://api.example.com\\@evil.com/", "no user name, password or backslash")]
    [InlineData("https://api.example.com/\n", "control characters")]
    public void Other_urls_are_refused_with_the_reason(string url, string reason)
    {
        Assert.Null(NavigationTarget.Parse(url, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
