using Microsoft.Net.Http.Headers;

namespace AgentCluster.Silo.Authentication;

/// <summary>
/// The console's sign-in cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
/// page sends it), Path=/ and, over HTTPS, Secure under the <c>__Host-</c> name, which a browser
/// takes only from a secure origin, with no Domain: no sibling host can plant or widen it.
/// </summary>
internal static class ConsoleCookie
{
    public const string SecureName = "__Host-agc_console";
    public const string PlainName = "agc_console";

    public static string Name(bool https) => https ? SecureName : PlainName;

    public static SetCookieHeaderValue Header(bool https, string value, TimeSpan maxAge)
    {
        var header = new SetCookieHeaderValue(Name(https), value)
        {
            Path = "/",
            HttpOnly = true,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Strict,
            Secure = https,
            MaxAge = maxAge > TimeSpan.Zero ? maxAge : TimeSpan.Zero,
        };
        // Gone at once: an old browser that ignores Max-Age still honours a date in the past.
        if (maxAge <= TimeSpan.Zero)
            header.Expires = DateTimeOffset.UnixEpoch;
        return header;
    }

    public static void Set(HttpContext http, string value, TimeSpan maxAge) =>
        http.Response.Headers.Append(HeaderNames.SetCookie, Header(http.Request.IsHttps, value, maxAge).ToString());

    public static void Expire(HttpContext http) => Set(http, "", TimeSpan.Zero);

    /// <summary>The cookie of this request's scheme, if any: an HTTPS request reads only the <c>__Host-</c> one.</summary>
    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(Name(request.IsHttps), out var value) && value.Length is > 0 and <= 256 ? value : null;
}
