using System.Collections.Immutable;

namespace AgentCluster.Grains.Credentials;

/// <summary>
/// What a grant's action lets a request do at the wire: <c>read</c> the methods that change
/// nothing, <c>write</c> those that create or change, <c>delete</c> also DELETE. Any other method
/// (TRACE, PROPFIND, …) is in no bound, so no stub is swapped into it.
/// </summary>
public static class GrantMethods
{
    public static readonly ImmutableArray<string> Read = ["GET", "HEAD", "OPTIONS"];
    public static readonly ImmutableArray<string> Write = [.. Read, "POST", "PUT", "PATCH"];
    public static readonly ImmutableArray<string> Delete = [.. Write, "DELETE"];

    /// <summary>The methods an action allows; none for an unknown action.</summary>
    public static ImmutableArray<string> Of(string action) => action switch
    {
        GrantActions.Read => Read,
        GrantActions.Write => Write,
        GrantActions.Delete => Delete,
        _ => [],
    };

    /// <summary>The methods any of <paramref name="actions"/> allows: the most a secret's <c>--methods</c> may name.</summary>
    public static ImmutableArray<string> OfAny(IEnumerable<string> actions) => [.. Delete.Where(m => actions.Any(a => Of(a).Contains(m)))];

    /// <summary>
    /// Whether every method the request may be read as is within the grant's action and, when the
    /// secret narrows it, within the secret's list too.
    /// </summary>
    public static bool Allow(string action, ImmutableArray<string> narrowedTo, IEnumerable<string> methods)
    {
        var bound = Of(action);
        var any = false;
        foreach (var method in methods)
        {
            any = true;
            if (!bound.Contains(method) || (!narrowedTo.IsDefaultOrEmpty && !narrowedTo.Contains(method)))
                return false;
        }
        return any;
    }
}
