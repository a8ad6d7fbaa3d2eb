using System.Globalization;
using System.Text;

namespace AgentCluster.Client.Durations;

/// <summary>Writes durations the way <see cref="DurationParser"/> reads them, so output can be pasted back.</summary>
public static class DurationFormat
{
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            return "-" + Format(value.Negate());
        }

        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        var seconds = value.Seconds + (value.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond);
        if (seconds > 0 || text.Length == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{seconds:0.###}s");
        }

        return text.ToString();
    }
}
