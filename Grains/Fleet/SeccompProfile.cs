using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// The seccomp profile passed inline as <c>seccomp=&lt;json&gt;</c>: the daemon reads the JSON
/// from the option's value (the docker CLI does the same after reading the file).
/// </summary>
public sealed class SeccompProfile
{
    public const string ResourceName = "seccomp-strict.json";
    public const string DesktopResourceName = "seccomp-desktop.json";

    private SeccompProfile(string json) => Json = json;

    /// <summary>The profile, compacted to one line.</summary>
    public string Json { get; }

    /// <summary>The file at <paramref name="path"/>, or the built-in copy of deploy/seccomp-strict.json.</summary>
    public static SeccompProfile Load(string? path)
    {
        var text = string.IsNullOrEmpty(path) ? BuiltIn(ResourceName) : File.ReadAllText(path);
        return Parse(text, string.IsNullOrEmpty(path) ? ResourceName : path);
    }

    /// <summary>The built-in copy of deploy/seccomp-desktop.json: the strict profile plus Chromium's sandbox.</summary>
    public static SeccompProfile Desktop() => Parse(BuiltIn(DesktopResourceName), DesktopResourceName);

    public static SeccompProfile Parse(string text, string source)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"seccomp profile {source} is not JSON: {e.Message}", e);
        }

        // Anything but deny-by-default would quietly turn the allowlist into a blocklist.
        if (node?["defaultAction"]?.GetValue<string>() is not ("SCMP_ACT_ERRNO" or "SCMP_ACT_KILL" or "SCMP_ACT_KILL_PROCESS"))
            throw new InvalidOperationException($"seccomp profile {source} must deny by default (defaultAction SCMP_ACT_ERRNO)");
        return new SeccompProfile(node.ToJsonString());
    }

    private static string BuiltIn(string name)
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the built-in {name} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
