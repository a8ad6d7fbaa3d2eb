namespace AgentCluster.Client.Sizes;

/// <summary>
/// Parses the CLI's sizes: a whole number of bytes (<c>1048576</c>), or a whole number with a binary unit,
/// k, m, g or t, optionally followed by b or ib, in any case (<c>1024k</c>, <c>512m</c>, <c>2g</c>, <c>2GiB</c>).
/// </summary>
public static class SizeParser
{
    public const string Expected = "expected e.g. 512m, 2g, 1024k or a number of bytes";

    private const string Units = "kmgt";

    public static long Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"invalid size '{text}': {error}");

    public static bool TryParse(string? text, out long value, out string error)
    {
        value = 0;
        var s = (text ?? string.Empty).Trim().ToLowerInvariant();
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
        {
            digits++;
        }

        if (digits == 0 || !TryScale(s[digits..], out var scale))
        {
            error = s.Length == 0 ? "empty; " + Expected : Expected;
            return false;
        }

        if (!long.TryParse(s.AsSpan(0, digits), out var amount) || amount > long.MaxValue / scale)
        {
            error = "too large";
            return false;
        }

        value = amount * scale;
        error = string.Empty;
        return true;
    }

    /// <summary>The multiplier a suffix stands for: none or b is bytes; k, m, g, t with an optional b or ib.</summary>
    private static bool TryScale(string suffix, out long scale)
    {
        scale = 1;
        if (suffix is "" or "b")
        {
            return true;
        }

        var unit = Units.IndexOf(suffix[0], StringComparison.Ordinal);
        if (unit < 0 || suffix[1..] is not ("" or "b" or "ib"))
        {
            return false;
        }

        scale = 1L << (10 * (unit + 1));
        return true;
    }
}
