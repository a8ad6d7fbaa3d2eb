using System.CommandLine;
using AgentCluster.Client.Errors;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Sessions;

/// <summary><c>session screenshot ID -o shot.png</c>: a desktop session's screen as a PNG file.</summary>
internal sealed class ScreenshotCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The desktop session's id (ses_…)." };

    private readonly Option<string> _output = new("--output", "-o")
    {
        Description = "The PNG file to write (relative paths from the working directory).",
        HelpName = "file",
        Required = true,
    };

    private readonly Option<double?> _scale = new("--scale")
    {
        Description = "Shrink the picture by this factor, in (0, 1] (default 1).",
        HelpName = "factor",
    };

    private readonly Option<ScreenArea?> _region = new("--region")
    {
        Description = "Only this part of the screen: X,Y,WIDTHxHEIGHT, e.g. 0,0,640x400.",
        HelpName = "x,y,wxh",
        CustomParser = result => ActArguments.Region(result.Tokens[^1].Value) is { } area ? area : Error(result),
    };

    private readonly Option<string?> _changedFrom = new("--changed-from")
    {
        Description = "Wait for the screen to differ from this PNG (one an earlier screenshot of the same --scale and --region wrote), "
            + "then save the changed picture; unchanged after --wait-ms, the picture as it is. No polling.",
        HelpName = "file",
    };

    private readonly Option<int?> _waitMs = new("--wait-ms")
    {
        Description = "With --changed-from: how long to wait for a change, 1 to 20000 ms (default 5000).",
        HelpName = "ms",
    };

    public ScreenshotCommand(CommandContext context)
        : base("screenshot", "Save what a desktop session's screen shows as a PNG (through its approval gate, as browser.screenshot).")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        Add(_output);
        Add(_scale);
        Add(_region);
        Add(_changedFrom);
        Add(_waitMs);
        Validators.Add(result =>
        {
            // Whether given, not their values: a value that does not parse is its own option's error.
            if (result.GetResult(_waitMs) is not null && result.GetResult(_changedFrom) is null)
                result.AddError("--wait-ms needs --changed-from");
        });
        SetAction(async (result, cancellationToken) =>
        {
            var path = Path.Combine(context.Environment.WorkingDirectory, result.GetRequiredValue(_output));
            var previous = result.GetValue(_changedFrom) is { } from
                ? await ReadPreviousAsync(Path.Combine(context.Environment.WorkingDirectory, from), cancellationToken)
                : null;
            using var connection = context.Connect(result);
            var (id, scale, region) = (result.GetRequiredValue(_id), result.GetValue(_scale), result.GetValue(_region));
            var shot = previous is null
                ? await connection.Computer.ScreenshotAsync(id, scale, region, cancellationToken)
                : await connection.Computer.ScreenshotWhenChangedAsync(id, previous,
                    TimeSpan.FromMilliseconds(result.GetValue(_waitMs) ?? DefaultWaitMs), scale, region, cancellationToken);
            try
            {
                await File.WriteAllBytesAsync(path, shot.Png, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot write the screenshot to {path}: {e.Message}", e);
            }
            context.Output(result).Write(ScreenshotView.From(shot, path), ScreenshotView.Render);
        });
    }

    private const int DefaultWaitMs = 5000;

    /// <summary>The earlier picture, as the tag the server compares with (the SHA-256 of its bytes).</summary>
    private static async Task<Screenshot> ReadPreviousAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return Screenshot.Of(await File.ReadAllBytesAsync(path, cancellationToken));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the earlier screenshot {path}: {e.Message}");
        }
    }

    private static ScreenArea? Error(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"invalid region '{result.Tokens[^1].Value}': expected X,Y,WIDTHxHEIGHT such as 0,0,640x400");
        return null;
    }
}
