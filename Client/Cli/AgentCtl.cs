using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using AgentCluster.Client.Commands;
using AgentCluster.Client.Errors;

namespace AgentCluster.Client.Cli;

/// <summary>
/// One run of agentctl: result on stdout, and on failure exactly one line on stderr
/// and a non-zero exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal static class AgentCtl
{
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        CliEnvironment environment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        var options = new GlobalOptions();
        var context = new CommandContext(options, environment, stdout, stderr);
        var parse = new AgentCtlCommand(options, context).Parse(args);
        try
        {
            if (parse.Action is ParseErrorAction)
            {
                // System.CommandLine's own error output is several lines plus the help text.
                throw new UsageException(UsageMessage(parse));
            }

            return await parse.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = stdout,
                    Error = stderr,
                    EnableDefaultExceptionHandler = false,
                    // Ctrl+C is the host's business (Program.cs); a library entry point must not hook process signals.
                    ProcessTerminationTimeout = null,
                },
                cancellationToken);
        }
        catch (Exception e)
        {
            var failure = (WrongPort.Suspect(e) ? await WrongPort.ExplainAsync(context.Endpoint(parse), environment, cancellationToken) : null)
                ?? Failure.From(e, context.DescribeEndpoint(parse), context.DescribeApiKey(parse));
            var redactor = new SecretRedactor(context.Secrets(parse));

            // Masked before and after the message becomes one line: a secret with a run of spaces, a tab or a newline
            // in it no longer matches once that is collapsed.
            var line = (failure with { Message = redactor.Redact(failure.Message) }).Line;
            await stderr.WriteLineAsync(redactor.Redact(line));
            return failure.ExitCode;
        }
    }

    private static string UsageMessage(ParseResult parse)
    {
        var path = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            path.Insert(0, result.Parent is null ? "agentctl" : result.Command.Name);
        }

        var errors = CommandSuggestion.For(parse, string.Join(' ', path)) ?? string.Join(" ", parse.Errors.Select(e => Sentence(e.Message)));
        return $"{errors} See '{string.Join(' ', path)} --help'.";
    }

    private static string Sentence(string message)
    {
        var trimmed = message.Trim();
        return trimmed.EndsWith('.') ? trimmed : trimmed + ".";
    }
}
