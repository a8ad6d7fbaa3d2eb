using System.CommandLine;
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

    public ScreenshotCommand(CommandContext context)
        : base("screenshot", "Save what a desktop session's screen shows as a PNG (through its approval gate, as browser.screenshot).")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        Add(_output);
        Add(_scale);
        Add(_region);
        SetAction(async (result, cancellationToken) =>
        {
            var path = Path.Combine(context.Environment.WorkingDirectory, result.GetRequiredValue(_output));
            using var connection = context.Connect(result);
            var shot = await connection.Computer.ScreenshotAsync(
                result.GetRequiredValue(_id), result.GetValue(_scale), result.GetValue(_region), cancellationToken);
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

    private static ScreenArea? Error(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"invalid region '{result.Tokens[^1].Value}': expected X,Y,WIDTHxHEIGHT such as 0,0,640x400");
        return null;
    }
}
