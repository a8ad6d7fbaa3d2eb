namespace AgentCluster.Proxy.Requests;

/// <summary>
/// <c>name=value&amp;…</c> as a query string or a form body spells it (<c>+</c> a space, escapes
/// decoded once), in order; a field without <c>=</c> has an empty value. Pure.
/// </summary>
public static class FormFields
{
    public static IEnumerable<(string Name, string Value)> Parse(string text)
    {
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
            yield return pair.Split('=', 2) is [var name, var value] ? (Unescape(name), Unescape(value)) : (Unescape(pair), "");
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
