using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentCluster.Tests.Integration.Silo.Console;

/// <summary>The console's sign-in at the wire: an HttpClient that sends only the cookie it is told to, and follows no redirect.</summary>
public sealed partial class CookieHttp(string adminEndpoint) : IDisposable
{
    public const string CookieName = "agc_console";

    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = new Uri(adminEndpoint),
    };

    /// <summary>POST /signin as the page's script does; the response as it came.</summary>
    public Task<HttpResponseMessage> PostSignIn(string key, string? returnPath = null, bool intent = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { key, @return = returnPath }), Encoding.UTF8, "application/json"),
        };
        if (intent)
            request.Headers.Add("X-AgentCluster-Console", "1");
        return _http.SendAsync(request);
    }

    /// <summary>Signs in and returns the cookie's value and where the page would go next.</summary>
    public async Task<(string Cookie, string Next)> SignIn(string key, string? returnPath = null)
    {
        var response = await PostSignIn(key, returnPath);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var cookie = SetCookie(response) ?? throw new InvalidOperationException("signed in, but no cookie was set");
        var next = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("next").GetString()!;
        return (cookie, next);
    }

    /// <summary>The value the response sets the console cookie to, or null when it sets none.</summary>
    public static string? SetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => SetCookieValue().Match(v)).Where(m => m.Success).Select(m => m.Groups[1].Value).LastOrDefault()
            : null;

    public Task<HttpResponseMessage> Send(HttpMethod method, string path, string? cookie, bool intent = false, string? csrf = null,
        string? accept = null, string body = "{}")
    {
        var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
            request.Headers.Add("Cookie", $"{CookieName}={cookie}");
        if (intent)
            request.Headers.Add("X-AgentCluster-Console", "1");
        if (csrf is not null)
            request.Headers.Add("X-AgentCluster-Csrf", csrf);
        if (accept is not null)
            request.Headers.Add("Accept", accept);
        if (method == HttpMethod.Post)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return _http.SendAsync(request);
    }

    /// <summary>The anti-forgery token a page gives the browser signed in by <paramref name="cookie"/>.</summary>
    public async Task<string> Csrf(string cookie, string page = "/")
    {
        var response = await Send(HttpMethod.Get, page, cookie, accept: "text/html");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var match = CsrfMeta().Match(await response.Content.ReadAsStringAsync());
        Assert.True(match.Success, $"no agc-csrf meta on {page}");
        return match.Groups[1].Value;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("^agc_console=([^;]*)")]
    private static partial Regex SetCookieValue();

    [GeneratedRegex("<meta name=\"agc-csrf\" content=\"([^\"]+)\">")]
    private static partial Regex CsrfMeta();
}
