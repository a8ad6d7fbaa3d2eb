namespace AgentCluster.Client.Durations;

/// <summary>
/// Parses the CLI's durations: whole-number components in descending units, each at most once
/// (<c>1d</c>, <c>2h</c>, <c>1h30m</c>, <c>45s</c>). A number needs its unit (<c>5</c> could be seconds or
/// minutes, so it is refused rather than guessed); only <c>0</c> means the same in any unit.
/// </summary>
public static class DurationParser
{
    public const string Expected = "expected e.g. 30s, 10m, 2h or 1h30m";

    private static readonly (char Unit, long Seconds)[] Units = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

    private static readonly long MaxSeconds = (long)TimeSpan.MaxValue.TotalSeconds;

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException($"invalid duration '{text}': {error}");

    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        var s = (text ?? string.Empty).Trim().ToLowerInvariant();
        if (s.Length == 0)
        {
            error = "empty; " + Expected;
            return false;
        }

        long total = 0;
        var nextUnit = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || !long.TryParse(s.AsSpan(start, i - start), out var amount))
            {
                error = Expected;
                return false;
            }

            if (i == s.Length && start == 0 && amount != 0)
            {
                error = $"a number needs a unit: {amount}s, {amount}m or {amount}h";
                return false;
            }

            var unitIndex = i == s.Length && start == 0 ? Units.Length - 1 : UnitIndex(s, i, nextUnit);
            if (unitIndex < 0 || !TryAdd(ref total, amount, Units[unitIndex].Seconds))
            {
                error = unitIndex < 0 ? Expected : "too long";
                return false;
            }

            nextUnit = unitIndex + 1;
            i = i == s.Length ? i : i + 1;
        }

        value = TimeSpan.FromSeconds(total);
        error = string.Empty;
        return true;
    }

    private static int UnitIndex(string s, int i, int nextUnit)
    {
        if (i >= s.Length)
        {
            return -1;
        }

        var index = Array.FindIndex(Units, u => u.Unit == s[i]);
        return index >= nextUnit ? index : -1;
    }

    private static bool TryAdd(ref long total, long amount, long unitSeconds)
    {
        if (amount > (MaxSeconds - total) / unitSeconds)
        {
            return false;
        }

        total += amount * unitSeconds;
        return true;
    }
}
