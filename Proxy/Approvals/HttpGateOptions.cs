namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// <c>AgentCluster:Egress:Approvals</c>: which HTTP requests through the proxy are which actions.
/// A request no rule names is the generic <c>http.request</c>, whose classifier lets GET, HEAD and
/// OPTIONS through and holds the rest unless the admin's HTTP rules say otherwise.
/// </summary>
public sealed class HttpGateOptions
{
    public const string Section = "AgentCluster:Egress:Approvals";

    public const string GenericAction = "http.request";

    /// <summary>First match wins. Configured rules come before the built-in ones.</summary>
    public List<HttpActionRule> Rules { get; set; } = [];

    /// <summary>
    /// Request headers an approver sees besides <see cref="MeaningHeaders"/>: those that change what a
    /// request does at a particular upstream. Never a credential header: the proxy refuses to start.
    /// </summary>
    public List<string> ShownHeaders { get; set; } = [];

    /// <summary>How long one long poll for a decision lasts; the request stays held across polls.</summary>
    public TimeSpan PollWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Headers that change what a request means, shown to every approver.</summary>
    public static IReadOnlyList<string> MeaningHeaders { get; } =
        ["Content-Type", "Idempotency-Key", "Stripe-Account", .. Requests.MethodOverrides.Headers];

    /// <summary>Headers that carry credentials: an approver never sees them, whatever the configuration says.</summary>
    private static readonly string[] Credentials = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"];

    /// <summary>Every header shown to approvers; throws at start for one that would show a credential.</summary>
    public IReadOnlyList<string> Shown(IEnumerable<string> stubHeaders)
    {
        var refused = ShownHeaders.Where(h => Credentials.Concat(stubHeaders).Contains(h.Trim(), StringComparer.OrdinalIgnoreCase)).ToList();
        if (refused.Count > 0)
            throw new InvalidOperationException($"{Section}:ShownHeaders may not name a credential header: {string.Join(", ", refused)}");
        return [.. MeaningHeaders.Concat(ShownHeaders.Select(h => h.Trim())).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    public static IReadOnlyList<HttpActionRule> BuiltIn { get; } =
    [
        new() { Method = "POST", Host = "api.stripe.com", Path = "/v1/charges", Action = "stripe.charge" },
        new() { Method = "POST", Host = "api.stripe.com", Path = "/v1/payment_intents/*/confirm", Action = "stripe.charge" },
        new() { Method = "POST", Host = "api.stripe.com", Path = "/v1/refunds", Action = "stripe.refund" },
    ];
}

/// <summary>One request shape → one action name.</summary>
public sealed class HttpActionRule
{
    /// <summary>An upper-case method, or <c>*</c>.</summary>
    public string Method { get; set; } = "*";

    /// <summary><c>api.example.com</c>, <c>*.example.com</c> (any subdomain, not the domain itself), or <c>*</c>.</summary>
    public string Host { get; set; } = "*";

    /// <summary>A path glob: <c>*</c> is one segment or part of one, <c>**</c> any number of segments. The query is never matched.</summary>
    public string Path { get; set; } = "/**";

    public string Action { get; set; } = "";
}
