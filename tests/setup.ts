// tsyringe needs the Reflect metadata polyfill once per process, before any decorated class loads.
import "reflect-metadata";
