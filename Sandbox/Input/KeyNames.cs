using System.Text;

namespace AgentCluster.ComputerServer.Input;

/// <summary>
/// Names as computer-use models write them (xdotool's, case-insensitive, plus common aliases)
/// and characters, turned into X keysyms.
/// </summary>
internal static class KeyNames
{
    public const nuint ShiftL = 0xffe1;
    private const nuint Return = 0xff0d;
    private const nuint Tab = 0xff09;

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ctrl"] = "Control_L", ["control"] = "Control_L", ["shift"] = "Shift_L", ["alt"] = "Alt_L",
        ["super"] = "Super_L", ["meta"] = "Super_L", ["cmd"] = "Super_L", ["win"] = "Super_L",
        ["enter"] = "Return", ["return"] = "Return", ["esc"] = "Escape", ["escape"] = "Escape",
        ["backspace"] = "BackSpace", ["tab"] = "Tab", ["space"] = "space", ["delete"] = "Delete",
        ["del"] = "Delete", ["insert"] = "Insert", ["home"] = "Home", ["end"] = "End",
        ["pageup"] = "Prior", ["page_up"] = "Prior", ["pagedown"] = "Next", ["page_down"] = "Next",
        ["up"] = "Up", ["down"] = "Down", ["left"] = "Left", ["right"] = "Right",
    };

    /// <summary>
    /// The keysym names of a combination such as <c>ctrl+shift+t</c>, in press order; null with
    /// a reason when a part is empty. A lone <c>+</c> is the plus key.
    /// </summary>
    public static IReadOnlyList<string>? Parse(string combination, out string? error)
    {
        error = null;
        if (combination == "+")
            return ["plus"];
        var parts = combination.Split('+', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts.Any(p => p.Length == 0))
        {
            error = $"key combination '{combination}' has an empty part";
            return null;
        }
        return [.. parts.Select(Canonical)];
    }

    /// <summary>An alias's keysym name; F-keys upper-cased; anything else as written.</summary>
    public static string Canonical(string part)
    {
        if (Aliases.TryGetValue(part, out var name))
            return name;
        if (part.Length is 2 or 3 && part[0] is 'f' && int.TryParse(part.AsSpan(1), out var n) && n is >= 1 and <= 35)
            return "F" + part[1..];
        return part;
    }

    /// <summary>The keysym that types <paramref name="rune"/>; null for a control character with none.</summary>
    public static nuint? ForCharacter(Rune rune) => rune.Value switch
    {
        '\n' or '\r' => Return,
        '\t' => Tab,
        < 0x20 or 0x7f => null,
        // Latin-1's keysyms are its code points; the rest of Unicode is 0x01000000 + code point.
        <= 0x7e or (>= 0xa0 and <= 0xff) => (nuint)rune.Value,
        _ => (nuint)(0x01000000 | rune.Value),
    };
}
