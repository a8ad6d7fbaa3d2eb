using System.Net.Http.Headers;

namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// Puts the stub back wherever a swapped request's response shows the real credential: in every
/// response header, and in the whole body as it streams, whatever its type or length. A body the
/// strip cannot read (compressed, or in any transfer coding but chunked) is refused instead: the
/// request asked for <c>identity</c>, and an upstream that answers otherwise gets no say.
/// </summary>
public static class SecretStrip
{
    private const int MaxCodingShown = 40;

    /// <summary>Why the body cannot be searched as it comes; null when it can (or there is none).</summary>
    public static string? Unreadable(HttpResponseMessage response, string method)
    {
        var status = (int)response.StatusCode;
        if (HttpMethods.IsHead(method) || status is < 200 or 204 or 304)
            return null;
        // The raw values: a malformed one is dropped by the typed view, yet passed on, and a client may still decode it.
        var coded = Codings(response.Content.Headers.NonValidated, "Content-Encoding", "identity");
        if (coded.Count > 0)
            return "response-content-encoding " + Shown(coded);
        var transfer = Codings(response.Headers.NonValidated, "Transfer-Encoding", "chunked");
        return transfer.Count > 0 ? "response-transfer-encoding " + Shown(transfer) : null;
    }

    private static List<string> Codings(HttpHeadersNonValidated headers, string name, string harmless) =>
        headers.TryGetValues(name, out var values)
            ? [.. values.SelectMany(v => v.Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0 && !v.Equals(harmless, StringComparison.OrdinalIgnoreCase))]
            : [];

    /// <summary>Replaces the body with one read through the plan's strip; its length may change, so none is declared.</summary>
    public static async Task StripBody(HttpResponseMessage response, SwapPlan plan, CancellationToken ct)
    {
        var content = response.Content;
        var replaced = new StreamContent(new StrippingStream(await content.ReadAsStreamAsync(ct), plan.BodyStrip()));
        foreach (var (name, values) in content.Headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                replaced.Headers.TryAddWithoutValidation(name, values);
        }
        response.Content = replaced;
    }

    public static void StripHeaders(IHeaderDictionary headers, SwapPlan plan)
    {
        // Nearly every response reveals nothing: look first, and copy only when something must change.
        List<string>? revealing = null;
        foreach (var (name, values) in headers)
        {
            if (values.Any(v => v is not null && plan.Reveals(v)))
                (revealing ??= []).Add(name);
        }
        foreach (var name in revealing ?? [])
            headers[name] = new([.. headers[name].Select(v => v is null ? v : plan.Strip(v))]);
    }

    /// <summary>The upstream chose these words: short, and printable only, before they reach the audit.</summary>
    private static string Shown(IEnumerable<string> codings)
    {
        var text = string.Join(",", codings);
        return new string([.. text.Take(MaxCodingShown).Select(c => c is > ' ' and < '\u007f' ? c : '?')]);
    }
}
