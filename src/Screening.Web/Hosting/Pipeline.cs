using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Screening.Web.Admin;
using Screening.Web.Audit;
using Screening.Web.Calendars;
using Screening.Web.Cases;
using Screening.Web.Definitions;
using Screening.Web.Documents;
using Screening.Web.Identity;
using Screening.Web.Jobs;
using Screening.Web.Letters;
using Screening.Web.Mail;
using Screening.Web.Reviews;

namespace Screening.Web.Hosting;

public static class Pipeline
{
    /// <summary>Migrates and seeds before the first request.</summary>
    public static async Task PrepareScreeningAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Seeder>().RunAsync(app.Lifetime.ApplicationStopping);
    }

    /// <summary>
    /// The sweeps, every minute. Registering one takes the storage's lock on it; a node killed while it held that
    /// lock (PostgreSQL keeps it as a row until it expires) would stop the next node from starting, so a timed-out
    /// lock is waited out in the background while the host serves: the jobs are kept in the storage already.
    /// </summary>
    private static void RegisterRecurringJobs(WebApplication app)
    {
        var manager = app.Services.GetRequiredService<IRecurringJobManager>();
        void Register()
        {
            manager.AddOrUpdate<TimerJobs>("timer-sweep", j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
            manager.AddOrUpdate<NotificationJobs>("notification-sweep", j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
            manager.AddOrUpdate<MailJobs>("mail-sweep", j => j.SweepAsync(CancellationToken.None), Cron.Minutely());
            manager.AddOrUpdate<MailJobs>("mail-reminders", j => j.RemindAsync(CancellationToken.None), Cron.Minutely());
        }

        static bool LockTimedOut(Exception ex) => ex is Hangfire.Storage.DistributedLockTimeoutException or Hangfire.PostgreSql.PostgreSqlDistributedLockException;
        try
        {
            Register();
        }
        catch (Exception ex) when (LockTimedOut(ex))
        {
            app.Logger.LogWarning("A lock on the recurring jobs is held (by a node that stopped without releasing it?); registering them once it expires.");
            var stopping = app.Lifetime.ApplicationStopping;
            _ = Task.Run(async () =>
            {
                while (!stopping.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(5), stopping);
                        Register();
                        app.Logger.LogInformation("The recurring jobs are registered.");
                        return;
                    }
                    catch (Exception retry) when (LockTimedOut(retry))
                    {
                        // Still held; the storage expires it.
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>A person's browser reading a page: GET or HEAD outside the API and the jobs dashboard.</summary>
    private static bool ReadsAPage(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/jobs");

    public static WebApplication UseScreening(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ScreeningOptions>>().Value;
        app.UseExceptionHandler();
        app.UseSecurityHeaders();
        app.UseMiddleware<MethodNotAllowedMiddleware>();
        // A page address nothing answers (a mistyped link) gets the app's own page, in the reader's language; every
        // other empty 4xx or 5xx (the API, the jobs dashboard, a form posted to a wrong address, a routing or binding
        // refusal) is a problem document, written inside so it comes first.
        app.UseStatusCodePagesWithReExecute("/not-found", "?status={0}", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (!ReadsAPage(context) && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            return next(context);
        });
        app.UseWhen(context => !ReadsAPage(context), problems => problems.UseStatusCodePages().UseMiddleware<EmptyErrorProblemsMiddleware>());
        if (app.Services.GetRequiredService<SimulatedClockSync>().Enabled)
        {
            app.Use(async (context, next) =>
            {
                await context.RequestServices.GetRequiredService<SimulatedClockSync>().RefreshAsync(
                    context.RequestServices.GetRequiredService<Persistence.ScreeningDbContext>(), context.RequestAborted);
                await next(context);
            });
        }

        app.UseRequestLocalization();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapStaticAssets();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/api-reference", o => o.WithTitle("Screening API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString().ToLowerInvariant(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description }),
                });
            },
        }).AllowAnonymous();

        // A liveness probe and the baseline of the HTTP benchmarks: the cheapest answer the host can give.
        app.MapGet("/ping", () => TypedResults.Text("pong")).AllowAnonymous().ExcludeFromDescription();

        app.MapAuth();
        app.MapCases();
        app.MapDocuments();
        app.MapLetters();
        app.MapMail();
        app.MapReferenceData();
        app.MapTasks();
        app.MapDefinitions();
        app.MapCalendars();
        app.MapAudit();
        app.MapAdmin(options.Clock.Simulated);
        app.MapNotifications();
        app.MapAccount();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();

        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new AdminDashboardAuthorization()],
            DashboardTitle = "Screening jobs",
            AppPath = "/",
        });
        RegisterRecurringJobs(app);

        var mail = app.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        if (mail.UsesPickup)
        {
            app.Logger.LogInformation("No SMTP server is configured (Screening:Mail:SmtpHost): e-mail is written as .eml files to {PickupDirectory}.",
                SendMailHandler.PickupDirectory(mail, options));
        }
        else
        {
            app.Logger.LogInformation("E-mail is sent through {SmtpHost}:{SmtpPort}.", mail.SmtpHost, mail.SmtpPort);
        }

        // Timers that fell due while the host was down fire now rather than at the next minute's sweep.
        // Nothing is rebuilt: the sweep only fires due rows that are still pending.
        if (options.Jobs.RunServer)
        {
            app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<TimerJobs>(j => j.SweepAsync(CancellationToken.None));
        }
        return app;
    }
}

/// <summary>The jobs dashboard is for administrators only.</summary>
public sealed class AdminDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}
