using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary><c>session screenshot --json</c>: <c>{"file","width","height","bytes","risk","approvalId"}</c>; approvalId null unless it was held.</summary>
internal sealed record ScreenshotView(string File, int Width, int Height, int Bytes, string Risk, string? ApprovalId)
{
    public static ScreenshotView From(Screenshot shot, string file) =>
        new(file, shot.Width, shot.Height, shot.Png.Length, shot.Risk, shot.ApprovalId.Length == 0 ? null : shot.ApprovalId);

    /// <summary>e.g. <c>wrote shot.png: 1280x800 PNG, 84 KiB</c>.</summary>
    public static void Render(ScreenshotView view, TextWriter writer) =>
        writer.WriteLine($"wrote {Table.Clean(view.File)}: {view.Width}x{view.Height} PNG, {HumanFormat.Number(Math.Max(1, view.Bytes / 1024))} KiB"
            + (view.ApprovalId is { } id ? $" (approval {Table.Clean(id)})" : string.Empty));
}

/// <summary><c>session act --json</c>: <c>{"action","cursorX","cursorY","risk","approvalId"}</c>; the cursor is null when the computer did not say.</summary>
internal sealed record ActView(string Action, int? CursorX, int? CursorY, string Risk, string? ApprovalId)
{
    public static ActView From(ActResult done) =>
        new(done.Action, done.CursorX, done.CursorY, done.Risk, done.ApprovalId.Length == 0 ? null : done.ApprovalId);

    /// <summary>e.g. <c>click done; cursor at 640,400</c>.</summary>
    public static void Render(ActView view, TextWriter writer) =>
        writer.WriteLine($"{Table.Clean(view.Action)} done"
            + (view.CursorX is { } x && view.CursorY is { } y ? $"; cursor at {x},{y}" : string.Empty)
            + (view.ApprovalId is { } id ? $" (approval {Table.Clean(id)})" : string.Empty));
}
