using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Classification.Http;

/// <summary><c>http.request</c> <c>{"method": "POST", "url": "https://…"}</c>.</summary>
public sealed class HttpPayloadClassifier(IOptions<ClassificationOptions> options) : IPayloadClassifier
{
    public const string ActionName = "http.request";

    // Headers and a query field many frameworks honour to turn a GET or POST into another method.
    private static readonly string[] MethodOverrides = ["x-http-method-override", "x-http-method", "x-method-override"];

    private readonly List<HttpRule> _rules = options.Value.Http.Rules;

    public string Action => ActionName;

    public ActionClassification Classify(JsonElement payload)
    {
        if (!PayloadFields.TryGetString(payload, "method", out var method))
            return PayloadFields.Malformed(ActionName, "method");
        if (!PayloadFields.TryGetString(payload, "url", out var url))
            return PayloadFields.Malformed(ActionName, "url");
        if (!HttpRules.IsValidMethod(method))
            return ActionClassification.Irreversible($"{ActionName}: the method is not a plain word");
        if (HttpTarget.TryParse(url) is not { } target)
            return ActionClassification.Irreversible($"{ActionName}: the URL is not a plain absolute http(s) URL");
        if (HasMethodOverride(payload, url))
            return ActionClassification.Irreversible($"{ActionName}: the request asks the server to change its method");

        method = method.ToUpperInvariant();
        if (method is "GET" or "HEAD" or "OPTIONS")
            return ActionClassification.Reversible($"{ActionName}: {method} does not change the server");
        if (target.RoutedPath() is not { } path)
            return ActionClassification.Irreversible($"{ActionName}: {method} to a path servers may route differently");

        var matched = _rules.Where(r => HttpRules.Matches(r, method, target.Host, path))
            .Select(r => TenantOverrides.Defined(r.Risk))
            .DefaultIfEmpty(RiskLevel.Irreversible)
            .Max();
        return new(matched, $"{ActionName}: {method} to {PayloadFields.Quote(target.Host)} is {matched} by the host and path rules");
    }

    private static bool HasMethodOverride(JsonElement payload, string url)
    {
        var query = url.Split('#')[0].Split('?', 2) is [_, var q] ? q : "";
        if (query.Split('&').Any(p => Uri.UnescapeDataString(p.Split('=')[0]).Equals("_method", StringComparison.OrdinalIgnoreCase)))
            return true;
        if (!payload.TryGetProperty("headers", out var headers))
            return false;
        // Headers the classifier cannot read might hold an override: count that as one.
        return headers.ValueKind != JsonValueKind.Object
            || headers.EnumerateObject().Any(h => MethodOverrides.Contains(h.Name.ToLowerInvariant()));
    }
}
