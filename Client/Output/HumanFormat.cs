using System.Globalization;
using AgentCluster.Client.Durations;

namespace AgentCluster.Client.Output;

/// <summary>How values read in tables: UTC times, CLI-style durations, comma lists.</summary>
internal static class HumanFormat
{
    // Views carry UTC already; "u" only prints it, it does not convert.
    public static string Time(DateTime? value) =>
        value is { } v ? v.ToString("u", CultureInfo.InvariantCulture) : "-";

    /// <summary>ISO 8601 UTC to the millisecond, fixed width, for audit rows whose order within a second matters.</summary>
    public static string Instant(DateTime? value) =>
        value is { } v ? v.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Duration(TimeSpan? value) => value is { } v ? DurationFormat.Format(v) : "-";

    public static string List(IEnumerable<string> values) => string.Join(",", values);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
