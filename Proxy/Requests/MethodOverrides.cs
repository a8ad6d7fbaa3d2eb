using System.Collections.Immutable;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Requests;

/// <summary>
/// The method a request may be read as. Many frameworks let a header (or a <c>_method</c> query
/// field) turn a GET or POST into another method, so a request counts as every method it names:
/// a <c>GET</c> with <c>X-HTTP-Method-Override: DELETE</c> is a delete to the grant check and to the
/// approval gate. Overrides that disagree, or that are not a method name, are refused.
/// </summary>
public static class MethodOverrides
{
    public static readonly ImmutableArray<string> Headers = ["X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"];

    public static EffectiveMethod Of(string method, IHeaderDictionary headers, string query)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in Headers)
            Add(named, headers[header]);
        Add(named, QueryField(query));
        var wire = method.ToUpperInvariant();
        if (named.Any(m => m.Length is 0 or > 20 || !m.All(char.IsAsciiLetter)))
            return new(wire, null, "bad-method-override");
        return named.Count switch
        {
            0 => new(wire, null, null),
            1 => new(wire, named.Single(), null),
            _ => new(wire, null, "conflicting-method-overrides"),
        };
    }

    private static void Add(HashSet<string> named, StringValues values)
    {
        foreach (var value in values)
        {
            // A list in one header ("DELETE, PUT") names each of them.
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
                named.Add(part.ToUpperInvariant());
        }
    }

    private static StringValues QueryField(string query) =>
        new([.. FormFields.Parse(query.TrimStart('?')).Where(f => f.Name.Equals("_method", StringComparison.OrdinalIgnoreCase)).Select(f => f.Value)]);
}

/// <summary>The method on the request line and the one an override names; <see cref="Error"/> when they cannot be read.</summary>
public sealed record EffectiveMethod(string Wire, string? Override, string? Error)
{
    /// <summary>What the request does if the server honours the override.</summary>
    public string Method => Override ?? Wire;

    /// <summary>Every method the request may be read as: a grant must allow each of them.</summary>
    public ImmutableArray<string> All => Override is null || Override == Wire ? [Wire] : [Wire, Override];
}
