using AgentCluster.Silo.Authentication;
using Microsoft.AspNetCore.Http;

namespace AgentCluster.Tests.Unit.Silo.Authentication;

public sealed class ConsoleCookieTests
{
    private static string[] Attributes(string header) => [.. header.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];

    [Fact]
    public void Over_https_it_is_the_host_prefixed_secure_httponly_strict_cookie_of_the_whole_site()
    {
        var header = ConsoleCookie.Header(https: true, "abc", TimeSpan.FromHours(8)).ToString();
        Assert.StartsWith("__Host-agc_console=abc;", header, StringComparison.Ordinal);
        var attributes = Attributes(header);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("max-age=28800", attributes);
        // A __Host- cookie must carry no Domain, or browsers drop it; none is ever set.
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain", StringComparison.Ordinal));
    }

    [Fact]
    public void Over_plain_http_it_has_the_plain_name_and_still_is_httponly_and_strict()
    {
        var header = ConsoleCookie.Header(https: false, "abc", TimeSpan.FromMinutes(5)).ToString();
        Assert.StartsWith("agc_console=abc;", header, StringComparison.Ordinal);
        var attributes = Attributes(header);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.DoesNotContain("secure", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Contains("max-age=300", attributes);
    }

    [Fact]
    public void Expiring_it_empties_it_at_once()
    {
        var attributes = Attributes(ConsoleCookie.Header(https: false, "", TimeSpan.Zero).ToString());
        Assert.Contains("max-age=0", attributes);
        Assert.Contains(attributes, a => a.StartsWith("expires=thu, 01 jan 1970", StringComparison.Ordinal));
        Assert.Contains("httponly", attributes);
    }

    [Fact]
    public void A_request_reads_only_the_cookie_of_its_own_scheme()
    {
        var plain = new DefaultHttpContext();
        plain.Request.Headers.Cookie = "__Host-agc_console=secure-one; agc_console=plain-one";
        Assert.Equal("plain-one", ConsoleCookie.Read(plain.Request));

        var https = new DefaultHttpContext();
        https.Request.Scheme = "https";
        https.Request.Headers.Cookie = "agc_console=plain-one";
        Assert.Null(ConsoleCookie.Read(https.Request));
        https.Request.Headers.Cookie = "agc_console=plain-one; __Host-agc_console=secure-one";
        Assert.Equal("secure-one", ConsoleCookie.Read(https.Request));

        var overlong = new DefaultHttpContext();
        overlong.Request.Headers.Cookie = "agc_console=" + new string('a', 300);
        Assert.Null(ConsoleCookie.Read(overlong.Request));
    }
}
