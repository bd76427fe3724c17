namespace Screening.Web.Tests.Infrastructure;

/// <summary>
/// The same host as <see cref="ScreeningFactory"/>, served by a real Kestrel server on a free loopback port,
/// for what only the real server enforces (the 1 MB request body limit); clients talk real HTTP to it.
/// </summary>
public sealed class KestrelScreeningFactory : ScreeningFactory
{
    public KestrelScreeningFactory()
    {
        UseKestrel(0);
    }
}
