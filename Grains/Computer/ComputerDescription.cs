using System.Globalization;
using System.Text.Json;
using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Audit;

namespace AgentCluster.Grains.Computer;

/// <summary>
/// An action as the gate, an approver and the audit see it: its gate name and its arguments, with
/// typed text only as length and hash prefix, never in clear. The approval of a held action is
/// bound to the SHA-256 of exactly this description.
/// </summary>
public static class ComputerDescription
{
    public const int UrlShown = 256;

    /// <summary>The built-in action table's name (DefaultActions) that gates the action.</summary>
    public static string GateName(string kind) => kind switch
    {
        ComputerActions.Screenshot or ComputerActionRules.WatchFrames => "browser.screenshot",
        ComputerActions.MouseMove => "browser.move",
        ComputerActions.CursorPosition => "browser.cursor",
        _ => "browser." + kind,
    };

    /// <summary>The action's fields that matter for its kind, in a fixed order.</summary>
    public static IReadOnlyList<(string Key, string Value)> Fields(ComputerAction a)
    {
        var fields = new List<(string, string)> { ("action", a.Kind) };
        void Add(string key, object? value)
        {
            if (value is not null)
                fields.Add((key, Convert.ToString(value, CultureInfo.InvariantCulture)!));
        }
        Add("x", a.X);
        Add("y", a.Y);
        Add("to_x", a.ToX);
        Add("to_y", a.ToY);
        Add("button", a.Button);
        Add("keys", a.Keys);
        Add("scroll_x", a.ScrollX);
        Add("scroll_y", a.ScrollY);
        Add("milliseconds", a.Milliseconds);
        Add("region", a.Region is { } r ? $"{r.X},{r.Y} {r.Width}x{r.Height}" : null);
        Add("scale", a.Scale);
        Add("interval_ms", a.IntervalMilliseconds);
        Add("frames", a.Frames);
        Add("changed_from", a.ChangedFrom);
        if (a.Text is { } text)
        {
            Add("text_length", text.Length);
            Add("text_sha256", AuditScrubber.HashPrefix(text));
        }
        if (a.Url is { } url)
        {
            Add("url", url.Length <= UrlShown ? url : url[..UrlShown] + "…");
            Add("url_length", url.Length);
            Add("url_sha256", AuditScrubber.HashPrefix(url));
        }
        return fields;
    }

    /// <summary>What the gate classifies and an approval binds: the fields as one JSON object.</summary>
    public static byte[] GatePayload(ComputerAction a)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in Fields(a))
                json.WriteString(key, value);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Only the fields of the action's kind go to the server; a navigate's URL as <see cref="NavigationTarget"/> spelled it.</summary>
    public static ComputerRequest Request(ComputerAction a, string? url) => new()
    {
        Action = a.Kind == ComputerActionRules.WatchFrames ? ComputerActions.Screenshot : a.Kind,
        X = a.X, Y = a.Y, ToX = a.ToX, ToY = a.ToY, Button = a.Button, Text = a.Text, Keys = a.Keys,
        ScrollX = a.ScrollX, ScrollY = a.ScrollY, Milliseconds = a.Milliseconds, Url = url,
        Region = a.Region is { } r ? new ScreenRegion(r.X, r.Y, r.Width, r.Height) : null,
        Scale = a.Scale, ChangedFrom = a.ChangedFrom,
    };
}
