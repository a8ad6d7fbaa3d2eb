using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>A screenshot: PNG bytes and their size; the gate's risk and, if it was held, the approval it went through.</summary>
public sealed record Screenshot(byte[] Png, int Width, int Height, string Risk, string ApprovalId, DateTimeOffset? TakenAt)
{
    /// <summary>The picture's tag (the SHA-256 of <see cref="Png"/>, lowercase hex): equal tags, the same picture.</summary>
    public string Tag { get; init; } = "";

    /// <summary>A picture kept from an earlier screenshot (a saved PNG), to wait for a change from.</summary>
    public static Screenshot Of(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        return new(png, 0, 0, "", "", null) { Tag = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)) };
    }

    internal static Screenshot From(ScreenshotResponse r) =>
        new(r.Png.ToByteArray(), r.Width, r.Height, r.Risk, r.ApprovalId, ProtoTime.ToDateTimeOffset(r.TakenAt)) { Tag = r.Tag };
}

/// <summary>What an action did: the pointer where it left it (when the computer said), the gate's risk, the approval it went through.</summary>
public sealed record ActResult(string Action, int? CursorX, int? CursorY, string Risk, string ApprovalId)
{
    internal static ActResult From(ActResponse r) =>
        new(r.Action, r.HasCursorX ? r.CursorX : null, r.HasCursorY ? r.CursorY : null, r.Risk, r.ApprovalId);
}
