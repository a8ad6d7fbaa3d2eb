using System.Globalization;
using System.Text.RegularExpressions;
using AgentCluster.Client.Errors;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Sessions;

/// <summary>The words after <c>session act ID ACTION</c>, as an input action; a wrong count or a non-number is a usage error.</summary>
internal static partial class ActArguments
{
    public const string Usage =
        "actions: click [X Y], move X Y, drag X Y TO_X TO_Y, scroll X Y DX DY, type TEXT, key COMBO, navigate URL, wait MS, cursor";

    /// <summary>The values each action takes, by name (click may also take none: where the pointer is).</summary>
    private static readonly Dictionary<string, string[]> Shapes = new(StringComparer.Ordinal)
    {
        ["click"] = ["X", "Y"], ["move"] = ["X", "Y"], ["drag"] = ["X", "Y", "TO_X", "TO_Y"], ["scroll"] = ["X", "Y", "DX", "DY"],
        ["type"] = ["TEXT"], ["key"] = ["COMBO"], ["navigate"] = ["URL"], ["wait"] = ["MS"], ["cursor"] = [],
    };

    public static ComputerInput Parse(string action, IReadOnlyList<string> values, string? button)
    {
        if (!Shapes.TryGetValue(action, out var names))
            throw new UsageException($"unknown action '{action}'; {Usage}.");
        if (values.Count != names.Length && !(action == "click" && values.Count == 0))
            throw new UsageException(names.Length == 0
                ? $"{action} takes no values; {Usage}."
                : $"{action} takes {string.Join(' ', names)}, got {values.Count} value{(values.Count == 1 ? "" : "s")}; {Usage}.");
        if (button is not null && action != "click")
            throw new UsageException($"--button is for click, not {action}.");

        int At(int i) => int.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{names[i]} must be a whole number, not '{values[i]}'.");
        return action switch
        {
            "click" => values.Count == 0 ? ComputerInput.Click(button: button ?? "left") : ComputerInput.Click(At(0), At(1), button ?? "left"),
            "move" => ComputerInput.MouseMove(At(0), At(1)),
            "drag" => ComputerInput.Drag(At(0), At(1), At(2), At(3)),
            "scroll" => ComputerInput.Scroll(At(0), At(1), At(2), At(3)),
            "type" => ComputerInput.Type(values[0]),
            "key" => ComputerInput.Key(values[0]),
            "navigate" => ComputerInput.Navigate(values[0]),
            "wait" => ComputerInput.Wait(At(0)),
            _ => ComputerInput.CursorPosition(),
        };
    }

    /// <summary><c>X,Y,WIDTHxHEIGHT</c>; null when it is not that.</summary>
    public static ScreenArea? Region(string text) =>
        RegionPattern().Match(text) is { Success: true } m
            ? new ScreenArea(Number(m.Groups[1].Value), Number(m.Groups[2].Value), Number(m.Groups[3].Value), Number(m.Groups[4].Value))
            : null;

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d{1,5}),(\d{1,5}),(\d{1,5})x(\d{1,5})$")]
    private static partial Regex RegionPattern();
}
