@echo off
rem neuralj: the example program, launched with the Vector API kernels on.
rem   JAVA_HOME          the JDK to run (17 or later); default: java on the PATH
rem   JAVA_OPTS          more JVM options, placed after ours (JAVA_OPTS=-Xmx4g replaces the default heap)
rem   NEURALJ_AOT_CACHE  a file for the JVM's ahead-of-time cache (JDK 25 or later): a run without the file writes
rem                      it at exit, later runs start from it
rem The heap options are bin/neuralj's; its comment says why.
setlocal
set "APP_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
set "DEFAULT_JVM_OPTS=--add-modules=jdk.incubator.vector -Xmx1g -XX:+UseParallelGC -Xms32m -XX:MaxNewSize=32m"
set "AOT="
if defined NEURALJ_AOT_CACHE (
  if exist "%NEURALJ_AOT_CACHE%" (set "AOT=-XX:AOTCache=%NEURALJ_AOT_CACHE%") else (set "AOT=-XX:AOTCacheOutput=%NEURALJ_AOT_CACHE%")
)
"%JAVA%" %DEFAULT_JVM_OPTS% %AOT% %JAVA_OPTS% -jar "%APP_HOME%\lib\nn-examples.jar" %*
exit /b %ERRORLEVEL%
