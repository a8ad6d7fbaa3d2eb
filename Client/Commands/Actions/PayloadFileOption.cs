using System.CommandLine;
using AgentCluster.Client.Errors;

namespace AgentCluster.Client.Commands.Actions;

/// <summary><c>--payload-file F</c> (<c>-</c> for stdin): the exact bytes of the action, hashed as they are.</summary>
internal static class PayloadFileOption
{
    public static Option<string> Create() => new("--payload-file")
    {
        Description = "The action's JSON payload, read byte for byte (- for stdin); the approval is bound to its SHA-256.",
        HelpName = "file",
        Required = true,
    };

    public static async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            if (path == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                await stdin.CopyToAsync(buffer, cancellationToken);
                return buffer.ToArray();
            }
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the payload file {path}: {e.Message}");
        }
    }
}
