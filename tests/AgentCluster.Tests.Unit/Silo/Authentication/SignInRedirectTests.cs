using AgentCluster.Silo.Authentication;
using Microsoft.AspNetCore.Http;

namespace AgentCluster.Tests.Unit.Silo.Authentication;

/// <summary>Who is sent to the sign-in page rather than told 401: a browser navigating to a page, and nothing else.</summary>
public sealed class SignInRedirectTests
{
    private static HttpRequest Request(string method, string? accept)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        if (accept is not null)
            http.Request.Headers.Accept = accept;
        return http.Request;
    }

    [Theory]
    [InlineData("GET", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true)]
    [InlineData("HEAD", "text/html", true)]
    [InlineData("GET", "TEXT/HTML", true)]
    [InlineData("GET", "application/json", false)]
    [InlineData("GET", "*/*", false)]
    [InlineData("GET", "text/event-stream", false)]
    [InlineData("GET", null, false)]
    [InlineData("POST", "text/html", false)]
    [InlineData("DELETE", "text/html", false)]
    public void Only_a_page_navigation_is_redirected(string method, string? accept, bool redirected) =>
        Assert.Equal(redirected, ApiKeyAuthenticationHandler.WantsPage(Request(method, accept)));
}
