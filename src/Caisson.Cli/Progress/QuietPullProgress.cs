using Caisson.Api.V1;

namespace Caisson.Cli.Progress;

/// <summary>Shows nothing: pull --quiet prints only the result.</summary>
internal sealed class QuietPullProgress : IPullProgressView
{
    public void Update(PullProgress message)
    {
    }

    public void Complete()
    {
    }
}
