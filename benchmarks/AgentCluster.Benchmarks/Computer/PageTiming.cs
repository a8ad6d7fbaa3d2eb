using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// The browser's own clock of one first page, as its script reported it: epoch milliseconds of the
/// navigation's start, its fetch's start (after any redirect), its request, the answer's first and last byte, its script's run (the page committed and
/// parsed), its first animation frame's start, and the first paint (0 if none).
/// </summary>
internal sealed partial record PageTiming(double NavigationStart, double FetchStart, double Request, double ResponseStart, double ResponseEnd, double ScriptRan, double FirstFrame, double FirstPaint)
{
    /// <summary>The report in a request's head (<c>GET /beacon?o=…</c>, absolute through a proxy or not), or null.</summary>
    public static PageTiming? Parse(string head)
    {
        if (Report().Match(head) is not { Success: true } m)
            return null;
        double At(string name) => double.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);
        return new(At("o"), At("g"), At("q"), At("r"), At("e"), At("s"), At("f"), At("p"));
    }

    [GeneratedRegex(@"^GET \S*/beacon\?o=(?<o>[0-9.]+)&g=(?<g>[0-9.]+)&q=(?<q>[0-9.]+)&r=(?<r>[0-9.]+)&e=(?<e>[0-9.]+)&s=(?<s>[0-9.]+)&f=(?<f>[0-9.]+)&p=(?<p>[0-9.]+) ")]
    private static partial Regex Report();
}
