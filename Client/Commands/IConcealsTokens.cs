using System.CommandLine;

namespace AgentCluster.Client.Commands;

/// <summary>
/// A command that reads a secret and so must not have its own command line echoed: the parser quotes a stray
/// token ("Unrecognized command or argument '…'"), and a stray token there may be the secret pasted by mistake.
/// </summary>
internal interface IConcealsTokens
{
    IEnumerable<string> TokensToConceal(ParseResult result);
}
