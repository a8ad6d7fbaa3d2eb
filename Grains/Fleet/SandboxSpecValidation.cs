using System.Text.RegularExpressions;

namespace AgentCluster.Grains.Fleet;

/// <summary>Checks a spec before anything reaches Docker; every error names the field and the bound.</summary>
public static partial class SandboxSpecValidation
{
    public static IReadOnlyList<string> Errors(SandboxSpec spec, SandboxLimits limits, DateTimeOffset now)
    {
        var errors = new List<string>();
        // The session id becomes part of the container name, so it must be a valid Docker name.
        if (!SessionIdPattern().IsMatch(spec.SessionId ?? ""))
            errors.Add("session id must be 1-100 characters of [A-Za-z0-9_.-], starting with a letter or digit");
        if (string.IsNullOrWhiteSpace(spec.Tenant) || spec.Tenant.Length > 128 || spec.Tenant.Any(char.IsControl))
            errors.Add("tenant must be 1-128 printable characters");
        if (string.IsNullOrWhiteSpace(spec.Image) || spec.Image.Length > 255 || spec.Image.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            errors.Add("image must be 1-255 characters without spaces");
        if (spec.Deadline <= now)
            errors.Add($"deadline {spec.Deadline:O} has already passed");

        InRange(errors, "memory", spec.MemoryBytes, limits.MinMemoryBytes, limits.MaxMemoryBytes, " bytes");
        // Docker reads 0 and -1 as "no limit": the lower bound is what keeps a fork bomb contained.
        InRange(errors, "pids limit", spec.PidsLimit, limits.MinPids, limits.MaxPids, "");
        // Docker reads 0 as "no limit" here too.
        InRange(errors, "cpu", spec.NanoCpus, limits.MinNanoCpus, limits.MaxNanoCpus, " nano-CPUs");
        InRange(errors, "/tmp size", spec.TmpSizeBytes, limits.MinTmpfsBytes, limits.MaxTmpfsBytes, " bytes");
        InRange(errors, "cache size", spec.CacheSizeBytes, limits.MinTmpfsBytes, limits.MaxTmpfsBytes, " bytes");

        // The server takes it as the browser's command line's last word, after "--": one absolute URL, nothing else.
        if (spec.StartUrl is { } url && (!spec.Desktop || url.Length is 0 or > SandboxSpec.MaxStartUrlLength
            || url.Any(char.IsControl) || !Uri.TryCreate(url, UriKind.Absolute, out _)))
            errors.Add($"start url must be an absolute URL of at most {SandboxSpec.MaxStartUrlLength} characters without control characters, for a desktop image only");
        if (spec.HostLabels is null)
            errors.Add("host labels must not be null");
        else if (spec.HostLabels.Keys.Any(string.IsNullOrWhiteSpace))
            errors.Add("host label keys must not be empty");
        return errors;
    }

    private static void InRange(List<string> errors, string what, long value, long min, long max, string unit)
    {
        if (value < min || value > max)
            errors.Add($"{what} {value}{unit} is outside the allowed range {min}-{max}{unit}");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]
    private static partial Regex SessionIdPattern();
}

/// <summary>A spec that breaks a limit; the message lists every broken one.</summary>
public sealed class InvalidSandboxSpecException(IReadOnlyList<string> errors)
    : ArgumentException("invalid sandbox spec: " + string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
